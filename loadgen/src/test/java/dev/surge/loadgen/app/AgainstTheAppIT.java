package dev.surge.loadgen.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.loadgen.testing.Cli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real surge app (in this JVM, through its Java API): per-backend counts and {@code
 * demo} end to end.
 */
class AgainstTheAppIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static SurgeApp app(String instance) {
    return SurgeApp.start(
        AppConfig.parse(
            List.of(
                "--port",
                "0",
                "--metrics-port",
                "0",
                "--host",
                "127.0.0.1",
                "--instance",
                instance,
                "--drain-delay",
                "0s",
                "--shutdown-timeout",
                "2s"),
            Map.of()));
  }

  /** What the app itself counted for GET /api/work with status 200. */
  private static long appCount(SurgeApp app) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile(
                "(?m)^surge_http_requests_total\\{[^}]*route=\"/api/work\"[^}]*status=\"200\"[^}]*} (\\S+)$")
            .matcher(text);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void countsResponsesPerBackendInstance() throws Exception {
    try (SurgeApp a = app("pod-a");
        SurgeApp b = app("pod-b")) {
      Path scenario = dir.resolve("two.yaml");
      Files.writeString(
          scenario,
          "rate: 100\nduration: 3s\nrequests:\n"
              + "  - url: http://127.0.0.1:"
              + a.port()
              + "/api/work?cpuMillis=1\n"
              + "  - url: http://127.0.0.1:"
              + b.port()
              + "/api/work?cpuMillis=1\n");
      Path out = dir.resolve("backends.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--scenario",
              scenario.toString(),
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      JsonNode backends = JSON.readTree(Files.readString(out)).get("summary").get("backends");
      long countA = backends.get("pod-a").asLong();
      long countB = backends.get("pod-b").asLong();
      assertThat(countA + countB).isEqualTo(300);
      // The weighted mix splits evenly (within noise), and each count is exactly what that app
      // served.
      assertThat(countA).isBetween(100L, 200L);
      assertThat(countA).isEqualTo(appCount(a));
      assertThat(countB).isEqualTo(appCount(b));
    }
  }
}
