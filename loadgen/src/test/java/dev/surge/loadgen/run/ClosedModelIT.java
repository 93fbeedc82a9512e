package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code run --closed} end to end, beside the open model, against a real Jetty server. */
class ClosedModelIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"lean", "jetty"})
  void closedModelIsBoundByConnectionsOverLatency(String transport) throws Exception {
    // 4 users and 50 ms per response: at most 80 responses per second, whatever the generator
    // could do.
    try (TestServer server = TestServer.builder().delayMillis(50).build()) {
      Path out = dir.resolve("closed-" + transport + ".json");
      Cli.Result r =
          Cli.run(
              "run",
              "--closed",
              "--url",
              server.url("/"),
              "--connections",
              "4",
              "--duration",
              "2s",
              "--transport",
              transport,
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("model    closed").contains("no correction");
      JsonNode d = JSON.readTree(Files.readString(out));
      assertThat(d.get("config").get("model").asText()).isEqualTo("closed");
      assertThat(d.get("config").get("transport").asText()).isEqualTo(transport);
      JsonNode s = d.get("summary");
      assertThat(s.get("targetRate").asDouble()).isZero();
      assertThat(s.get("dropped").asLong()).isZero();
      assertThat(s.get("ok").asLong()).isEqualTo(server.requests()).isBetween(20L, 170L);
      assertThat(s.get("achievedRate").asDouble()).isLessThanOrEqualTo(85.0);
      // Every response took at least the server's delay; nothing is corrected.
      assertThat(s.get("latencyMillis").get("uncorrected").get("p50").asDouble())
          .isGreaterThanOrEqualTo(50.0);
      assertThat(s.get("latencyMillis").get("corrected").get("p50").asDouble())
          .isGreaterThanOrEqualTo(50.0);
      assertThat(s.get("backends").get("test-a").asLong()).isEqualTo(s.get("ok").asLong());
    }
  }

  @Test
  void openModelSaysSoAndKeepsItsRate() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      Path out = dir.resolve("open.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "100",
              "--duration",
              "2s",
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("model    open").contains("transport lean");
      JsonNode d = JSON.readTree(Files.readString(out));
      assertThat(d.get("config").get("model").asText()).isEqualTo("open");
      assertThat(d.get("summary").get("requests").asLong()).isEqualTo(200);
      assertThat(d.get("summary").get("targetRate").asDouble()).isEqualTo(100.0);
    }
  }

  @Test
  void closedWithARateIsAUsageError() {
    Cli.Result r = Cli.run("run", "--closed", "--url", "http://127.0.0.1:1/", "--rate", "10");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "--closed: a closed model has no rate; give --connections and --duration, not --rate");
  }

  @Test
  void leanForAnHttpsTargetIsAUsageError() {
    Cli.Result r =
        Cli.run("run", "--url", "https://127.0.0.1:1/", "--rate", "10", "--transport", "lean");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--transport: 'lean' speaks plain http:// only");
  }
}
