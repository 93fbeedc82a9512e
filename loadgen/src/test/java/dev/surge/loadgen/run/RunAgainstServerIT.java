package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} end to end against a real Jetty server on port 0. */
class RunAgainstServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private JsonNode result(Path file) throws Exception {
    return JSON.readTree(Files.readString(file));
  }

  @Test
  void constantRateIsAchievedAndEveryScheduledRequestIsSent() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      Path out = dir.resolve("r.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/x"),
              "--rate",
              "200",
              "--duration",
              "3s",
              "--out",
              out.toString(),
              "--progress",
              "lines");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      JsonNode s = result(out).get("summary");
      // The schedule has exactly rate x duration requests; each one is either sent or counted as
      // dropped.
      assertThat(s.get("requests").asLong()).isEqualTo(600);
      assertThat(s.get("ok").asLong()).isEqualTo(600);
      assertThat(server.requests()).isEqualTo(600);
      assertThat(s.get("achievedRate").asDouble())
          .isBetween(160.0, 240.0); // loose: a noisy 2-core machine
      assertThat(s.get("targetRate").asDouble()).isBetween(199.0, 201.0);
      assertThat(s.get("backends").get("test-a").asLong()).isEqualTo(600);
      assertThat(s.get("statusCodes").get("200").asLong()).isEqualTo(600);
      JsonNode intervals = result(out).get("intervals");
      assertThat(intervals.size()).isBetween(3, 5);
      assertThat(intervals.get(1).get("targetRate").asDouble()).isBetween(150.0, 250.0);
      assertThat(intervals.get(1).get("latencyMillis").get("corrected").has("p99")).isTrue();
      assertThat(r.out()).contains("achieved").contains("corrected").contains("uncorrected");
    }
  }

  @Test
  void stallShowsInCorrectedLatencyButNotInUncorrected() throws Exception {
    // Two connections: while the server is frozen for 1 s, both hold a stalled request and the rest
    // wait in the
    // client. Measured from the actual send, the waiting requests look fast; from their intended
    // time, they are not.
    try (TestServer server = TestServer.builder().stall(100, 1000).build()) {
      Path out = dir.resolve("stall.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "100",
              "--duration",
              "4s",
              "--connections",
              "2",
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      JsonNode lat = result(out).get("summary").get("latencyMillis");
      assertThat(lat.get("corrected").get("p99").asDouble()).isGreaterThan(700.0);
      assertThat(lat.get("corrected").get("max").asDouble()).isGreaterThan(900.0);
      assertThat(lat.get("uncorrected").get("p99").asDouble()).isLessThan(300.0);
      assertThat(result(out).get("summary").get("ok").asLong()).isEqualTo(400);
    }
  }

  @Test
  void inFlightCapDropsInsteadOfQueueing() throws Exception {
    try (TestServer server = TestServer.builder().delayMillis(3000).build()) {
      Path out = dir.resolve("cap.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "100",
              "--duration",
              "1s",
              "--max-in-flight",
              "10",
              "--drain-timeout",
              "5s",
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      JsonNode s = result(out).get("summary");
      assertThat(s.get("requests").asLong()).isEqualTo(100);
      assertThat(s.get("dropped").asLong()).isEqualTo(90);
      assertThat(s.get("ok").asLong()).isEqualTo(10);
      assertThat(server.requests()).isEqualTo(10);
    }
  }

  @Test
  void serverDyingMidRunGivesClassifiedErrorsAndAWrittenResult() throws Exception {
    Path out = dir.resolve("dies.json");
    TestServer server = TestServer.builder().build();
    String url = server.url("/");
    CompletableFuture<Cli.Result> run =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    "run",
                    "--url",
                    url,
                    "--rate",
                    "100",
                    "--duration",
                    "3s",
                    "--out",
                    out.toString(),
                    "--progress",
                    "off"));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requests() >= 50);
    server.close();
    Cli.Result r = run.get();
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    JsonNode s = result(out).get("summary");
    assertThat(s.get("ok").asLong()).isGreaterThanOrEqualTo(50);
    assertThat(s.get("errors").asLong()).isGreaterThan(50);
    assertThat(s.get("errorsByKind").get("connect_refused").asLong()).isGreaterThan(50);
    assertThat(s.get("requests").asLong())
        .isEqualTo(
            s.get("ok").asLong()
                + s.get("errors").asLong()
                + s.get("dropped").asLong()
                + s.get("unfinished").asLong());
  }

  @Test
  void connectionsAreRetiredByAgeSoNewOnesAreOpened() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      Cli.Result kept =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "50",
              "--duration",
              "2s",
              "--connections",
              "1",
              "--progress",
              "off");
      assertThat(kept.exitCode()).isZero();
      assertThat(server.connections()).isEqualTo(1);
    }
    try (TestServer server = TestServer.builder().build()) {
      Cli.Result recycled =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "50",
              "--duration",
              "2s",
              "--connections",
              "1",
              "--max-connection-age",
              "250ms",
              "--progress",
              "off");
      assertThat(recycled.exitCode()).isZero();
      // 2 s of traffic on connections that live 250 ms: several replacements, not one connection
      // for the whole run.
      assertThat(server.connections()).isGreaterThanOrEqualTo(4);
      assertThat(server.requests()).isEqualTo(100);
    }
  }

  @Test
  void http2MultiplexesOverFewConnections() throws Exception {
    try (TestServer server = TestServer.builder().h2c().build()) {
      Path out = dir.resolve("h2.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--http2",
              "--rate",
              "100",
              "--duration",
              "2s",
              "--connections",
              "1",
              "--out",
              out.toString(),
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(result(out).get("summary").get("ok").asLong()).isEqualTo(200);
      assertThat(server.versions()).containsExactly("HTTP/2.0");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void aTrailingPauseKeepsTheRunGoingToTheEndOfTheProfile() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      Path out = dir.resolve("pause.json");
      long t0 = System.nanoTime();
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--profile",
              "hold:50/1s,pause:2s",
              "--out",
              out.toString(),
              "--progress",
              "lines");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat((System.nanoTime() - t0) / 1e9).isGreaterThanOrEqualTo(3.0);
      JsonNode result = result(out);
      assertThat(result.get("summary").get("requests").asLong()).isEqualTo(50);
      assertThat(result.get("intervals").size()).isGreaterThanOrEqualTo(3);
    }
  }
}
