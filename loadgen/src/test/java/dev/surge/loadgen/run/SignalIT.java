package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the real jar: sending stops, and the summary and result file are still written. */
class SignalIT {
  @TempDir Path dir;

  @Test
  void sigtermStopsSendingAndStillWritesTheResult() throws Exception {
    Path jar = Path.of("target", "surge-loadgen.jar").toAbsolutePath();
    assertThat(jar)
        .as("the shaded jar is built by the package phase before integration tests")
        .exists();
    Path out = dir.resolve("stopped.json");
    Path log = dir.resolve("stdout.txt");
    try (TestServer server = TestServer.builder().build()) {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "run",
                  "--url",
                  server.url("/"),
                  "--rate",
                  "50",
                  "--duration",
                  "60s",
                  "--out",
                  out.toString(),
                  "--progress",
                  "lines")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> server.requests() >= 50);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        p.destroyForcibly();
      }
      String stdout = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(stdout).contains("stopped by signal").contains("corrected");
      JsonNode s = new ObjectMapper().readTree(Files.readString(out)).get("summary");
      assertThat(s.get("durationSeconds").asDouble()).isLessThan(30.0);
      assertThat(s.get("ok").asLong()).isGreaterThanOrEqualTo(50).isLessThan(1500);
      assertThat(s.get("ok").asLong()).isEqualTo(server.requests());
    }
  }
}
