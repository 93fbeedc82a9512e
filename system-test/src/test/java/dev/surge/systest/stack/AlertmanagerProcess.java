package dev.surge.systest.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.systest.support.Http;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) for a test: the given config,
 * storage in a temporary directory, a free loopback port, clustering off ({@code
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

  private AlertmanagerProcess(String configYaml) {
    Path binary = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    this.server =
        ServerProcess.start(
            "Alertmanager",
            dir -> Files.writeString(dir.resolve("alertmanager.yml"), configYaml),
            dir ->
                List.of(
                    binary.toString(),
                    "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("data"),
                    "--cluster.listen-address="),
            STARTUP);
  }

  /**
   * Writes {@code configYaml} and starts Alertmanager; fails naming the Debian package when it is
   * not installed.
   */
  public static AlertmanagerProcess start(String configYaml) {
    return new AlertmanagerProcess(configYaml);
  }

  /** The port Alertmanager listens on (127.0.0.1). */
  public int port() {
    return server.port();
  }

  /** The alerts Alertmanager holds now ({@code /api/v2/alerts}). */
  public JsonNode alerts() {
    HttpResponse<String> r = Http.get(server.port(), "/api/v2/alerts");
    if (r.statusCode() != 200) {
      throw new AssertionError("Alertmanager /api/v2/alerts -> " + r.statusCode() + " " + r.body());
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("Alertmanager answered non-JSON: " + r.body(), e);
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
