package dev.surge.systest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A tiny HTTP client for tests: GET (and PUT of a JSON body) with short timeouts, returning the
 * whole response.
 *
 * <pre>{@code
 * HttpResponse<String> r = Http.get(URI.create("http://127.0.0.1:" + port + "/readyz"));
 * assertThat(r.statusCode()).isEqualTo(200);
 * }</pre>
 */
public final class Http {
  /** Per-request deadline; a local server answers in far less. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private Http() {}

  /** GETs {@code uri}; throws {@link UncheckedIOException} when the server cannot be reached. */
  public static HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
  }

  /** GETs {@code http://127.0.0.1:port/path}. */
  public static HttpResponse<String> get(int port, String path) {
    return get(URI.create("http://127.0.0.1:" + port + path));
  }

  /** PUTs a JSON body to {@code uri}. */
  public static HttpResponse<String> putJson(URI uri, String json) {
    return send(
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * PUTs a JSON body with {@code Authorization: Bearer <token>}; a null token sends none (an app
   * without {@code --admin-token-file}).
   */
  public static HttpResponse<String> putJson(URI uri, String json, String bearerToken) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (bearerToken != null) {
      b.header("Authorization", "Bearer " + bearerToken);
    }
    return send(b.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted during " + request.method() + " " + request.uri(), e);
    }
  }
}
