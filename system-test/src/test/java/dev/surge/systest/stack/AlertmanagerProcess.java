package dev.surge.systest.stack;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.systest.support.FreePort;
import dev.surge.systest.support.Http;
import dev.surge.systest.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) for a test: the given config, storage in a
 * temporary directory, a free loopback port, clustering off ({@code --cluster.listen-address=}); ready when
 * {@code /-/ready} answers.
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

  private final Path dir;
  private final int port;
  private final ChildProcess process;

  private AlertmanagerProcess(String configYaml) {
    Path binary = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    try {
      this.dir = Files.createTempDirectory("surge-alertmanager");
      Files.writeString(dir.resolve("alertmanager.yml"), configYaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Alertmanager config", e);
    }
    this.port = FreePort.find();
    this.process =
        ChildProcess.start(
            "alertmanager",
            List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"),
            dir,
            Map.of());
    try {
      await("Alertmanager /-/ready on port " + port)
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError(process.describe());
            }
            return Http.get(port, "/-/ready").statusCode() == 200;
          });
    } catch (RuntimeException | Error e) {
      close();
      throw new AssertionError("Alertmanager did not become ready: " + process.describe(), e);
    }
  }

  /** Writes {@code configYaml} and starts Alertmanager; fails naming the Debian package when it is not installed. */
  public static AlertmanagerProcess start(String configYaml) {
    return new AlertmanagerProcess(configYaml);
  }

  /** The port Alertmanager listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** The alerts Alertmanager holds now ({@code /api/v2/alerts}). */
  public JsonNode alerts() {
    HttpResponse<String> r = Http.get(port, "/api/v2/alerts");
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
    return process.describe();
  }

  @Override
  public void close() {
    try {
      process.close();
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
