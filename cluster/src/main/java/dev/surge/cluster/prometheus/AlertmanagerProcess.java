package dev.surge.cluster.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}): the given config, storage in its
 * directory (a temporary one unless named), a free loopback port, clustering off ({@code
 * --cluster.listen-address=}); ready when {@code /-/ready} answers.
 *
 * <pre>{@code
 * try (AlertmanagerProcess am = AlertmanagerProcess.start(configYaml)) {
 *   prometheusBuilder.alertmanagerPort(am.port());
 * }
 * }</pre>
 */
public final class AlertmanagerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final ServerProcess server;

  private AlertmanagerProcess(Path binary, Path dir, String configYaml) {
    this.server =
        ServerProcess.start(
            "Alertmanager",
            dir,
            d -> Files.writeString(d.resolve("alertmanager.yml"), configYaml),
            d ->
                List.of(
                    binary.toString(),
                    "--config.file=" + d.resolve("alertmanager.yml"),
                    "--storage.path=" + d.resolve("data"),
                    "--cluster.listen-address="),
            STARTUP);
  }

  /**
   * Writes {@code configYaml} into a temporary directory and starts the Alertmanager on the PATH.
   *
   * @throws IllegalStateException naming the Debian package when it is not installed, or with its
   *     output when it does not become ready
   */
  public static AlertmanagerProcess start(String configYaml) {
    return start(
        Binaries.require("prometheus-alertmanager", "prometheus-alertmanager"), null, configYaml);
  }

  /**
   * Starts {@code binary} with {@code configYaml} in {@code dir} (a temporary directory when null).
   */
  public static AlertmanagerProcess start(Path binary, Path dir, String configYaml) {
    return new AlertmanagerProcess(binary, dir, configYaml);
  }

  /** The port Alertmanager listens on (127.0.0.1). */
  public int port() {
    return server.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40124}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * The alerts Alertmanager holds now ({@code /api/v2/alerts}).
   *
   * @throws IllegalStateException when it answers with an error
   */
  public JsonNode alerts() {
    try {
      HttpResponse<String> r = LocalHttp.get(server.port(), "/api/v2/alerts");
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "Alertmanager /api/v2/alerts -> " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Alertmanager /api/v2/alerts: " + e.getMessage(), e);
    }
  }

  /**
   * Posts alerts to {@code /api/v2/alerts} (a JSON array) and returns the HTTP status.
   *
   * @throws IllegalStateException when it cannot be reached
   */
  public int post(String alertsJson) {
    try {
      return LocalHttp.postJson(server.port(), "/api/v2/alerts", alertsJson).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException("Alertmanager POST /api/v2/alerts: " + e.getMessage(), e);
    }
  }

  /** The process, its command line and output (for failure messages). */
  public String describe() {
    return server.describe();
  }

  @Override
  public void close() {
    server.close();
  }
}
