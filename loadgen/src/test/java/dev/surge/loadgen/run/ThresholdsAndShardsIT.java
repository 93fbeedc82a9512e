package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes from thresholds and --abort-on, and shards that add up to the whole, against a real
 * server.
 */
class ThresholdsAndShardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void thresholdsGiveTheRightExitCodes() throws Exception {
    try (TestServer failing = TestServer.builder().status(500).build()) {
      String[] base = {
        "run", "--url", failing.url("/"), "--rate", "50", "--duration", "1s", "--progress", "off"
      };
      Path out = dir.resolve("t.json");
      Cli.Result fails =
          Cli.run(
              concat(
                  base,
                  "--threshold",
                  "errors<1%",
                  "--threshold",
                  "p99<10s",
                  "--out",
                  out.toString()));
      assertThat(fails.exitCode()).as(fails.out() + fails.err()).isEqualTo(1);
      assertThat(fails.out()).contains("errors<1%").contains("FAILED");
      JsonNode checks = JSON.readTree(Files.readString(out)).get("checks");
      assertThat(checks.get("passed").asBoolean()).isFalse();
      assertThat(checks.get("thresholds").get(0).get("passed").asBoolean()).isFalse();
      assertThat(checks.get("thresholds").get(0).get("actual").asDouble()).isEqualTo(100.0);
      assertThat(checks.get("thresholds").get(1).get("passed").asBoolean()).isTrue();

      Cli.Result passes =
          Cli.run(concat(base, "--threshold", "errors>=99%", "--threshold", "p99<10s"));
      assertThat(passes.exitCode()).as(passes.out() + passes.err()).isZero();
    }
  }

  @Test
  void abortOnStopsEarlyWithExitOne() throws Exception {
    try (TestServer failing = TestServer.builder().status(503).build()) {
      Path out = dir.resolve("a.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              failing.url("/"),
              "--rate",
              "50",
              "--duration",
              "30s",
              "--abort-on",
              "errors>50%",
              "--abort-delay",
              "1s",
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      JsonNode result = JSON.readTree(Files.readString(out));
      assertThat(result.get("checks").get("aborted").asBoolean()).isTrue();
      assertThat(result.get("checks").get("abortReason").asText()).startsWith("errors>50%");
      assertThat(result.get("summary").get("durationSeconds").asDouble()).isLessThan(10.0);
      assertThat(result.get("summary").get("errorsByKind").get("http_5xx").asLong()).isPositive();
      // The abort is an event once, when it was decided (the live page lists it then), before
      // sending stopped.
      List<JsonNode> aborts = new ArrayList<>();
      result
          .get("events")
          .forEach(
              e -> {
                if (e.path("subject").asText().equals("abort-on")) {
                  aborts.add(e);
                }
              });
      assertThat(aborts).hasSize(1);
      assertThat(aborts.get(0).path("message").asText()).startsWith("aborted: errors>50%");
      JsonNode intervals = result.get("intervals");
      assertThat(aborts.get(0).path("t").asDouble())
          .as("stamped in the interval that decided it, before the run's last (partial) one")
          .isLessThanOrEqualTo(intervals.get(intervals.size() - 1).path("t").asDouble());
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shardsTogetherSendTheWholeRateAndMergeAddsUp() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      Path[] outs = {dir.resolve("s0.json"), dir.resolve("s1.json")};
      Path[] logs = {dir.resolve("s0.hlog"), dir.resolve("s1.hlog")};
      CompletableFuture<Cli.Result>[] runs = new CompletableFuture[2];
      for (int i = 0; i < 2; i++) {
        String[] args = {
          "run",
          "--url",
          server.url("/"),
          "--rate",
          "200",
          "--duration",
          "2s",
          "--shard",
          i + "/2",
          "--out",
          outs[i].toString(),
          "--hdr-log",
          logs[i].toString(),
          "--progress",
          "off"
        };
        runs[i] = CompletableFuture.supplyAsync(() -> Cli.run(args));
      }
      for (CompletableFuture<Cli.Result> f : runs) {
        assertThat(f.get().exitCode()).as(f.get().out() + f.get().err()).isZero();
      }
      long sum = 0;
      for (Path o : outs) {
        JsonNode s = JSON.readTree(Files.readString(o)).get("summary");
        assertThat(s.get("requests").asLong()).isEqualTo(200);
        assertThat(s.get("targetRate").asDouble()).isBetween(99.0, 101.0);
        sum += s.get("ok").asLong();
      }
      assertThat(sum).isEqualTo(400);
      assertThat(server.requests()).isEqualTo(400);

      Path merged = dir.resolve("merged.json");
      Cli.Result m =
          Cli.run(
              "merge",
              outs[0].toString(),
              outs[1].toString(),
              "--logs",
              logs[0] + "," + logs[1],
              "--out",
              merged.toString(),
              "--threshold",
              "requests>=400");
      assertThat(m.exitCode()).as(m.out() + m.err()).isZero();
      JsonNode s = JSON.readTree(Files.readString(merged)).get("summary");
      assertThat(s.get("requests").asLong()).isEqualTo(400);
      assertThat(s.get("targetRate").asDouble()).isBetween(198.0, 202.0);
      assertThat(s.get("backends").get("test-a").asLong()).isEqualTo(400);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
