package dev.surge.app.http;

import dev.surge.app.Lifecycle;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.fault.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One endpoint behind the app's real {@link AppHandler} on a Jetty server at 127.0.0.1:0, for the
 * endpoint unit tests (podinfo's {@code httptest} pairing): requests go through routing, the error
 * bodies and the response writing exactly as in the app.
 *
 * <pre>{@code
 * try (EndpointServer s = EndpointServer.start("GET", "/delay/{millis}", new DelayEndpoint(100))) {
 *   HttpResponse<String> r = s.send("GET", "/delay/abc", null);
 * }
 * }</pre>
 */
public final class EndpointServer implements AutoCloseable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final Server server;
  private final int port;

  private EndpointServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Serves {@code endpoint} on {@code method template}; the lifecycle is {@code READY}. */
  public static EndpointServer start(String method, String template, Endpoint endpoint)
      throws Exception {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.advanceTo(Lifecycle.State.READY);
    return start(Router.builder().route(method, template, endpoint).build(), lifecycle);
  }

  /** Serves {@code router} with the given lifecycle. */
  public static EndpointServer start(Router router, Lifecycle lifecycle) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new AppHandler(
            router,
            dev.surge.app.metrics.RequestMetrics.OFF,
            new Faults(new FaultSettings(0, 0, true)),
            lifecycle,
            "unit",
            1024));
    server.setErrorHandler(new JsonErrorHandler("unit"));
    server.start();
    return new EndpointServer(server, connector.getLocalPort());
  }

  /** Sends a request; {@code headers} are name, value pairs. */
  public HttpResponse<String> send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the endpoint server", e);
    }
  }
}
