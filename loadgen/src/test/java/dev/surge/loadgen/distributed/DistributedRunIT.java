package dev.surge.loadgen.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.output.HistogramCodec;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.testing.TestServer;
import dev.surge.testkit.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed runs with the real loadgen jar as N child processes ({@code run --shard i/N --peers
 * ...}) against the real surge app on 127.0.0.1: the shards start together, shard 0 merges exactly
 * and judges the thresholds, a dead shard is named; the rendezvous's deadlines in-process.
 */
class DistributedRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern START =
      Pattern.compile(
          "(?m)^start    (\\S+) \\(the same instant on every shard; this shard woke (\\S+) ms after it\\)$");

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void threeShardsOneLateStartTogetherAndShardZeroJudgesTheExactMergedResult() throws Exception {
    try (SurgeApp app = app()) {
      int port = FreePort.find();
      String peers = peers(port);
      Path merged = dir.resolve("merged.json");
      // Each shard sends 80 requests: alone each passes requests<150; merged (240) it fails.
      List<String> load =
          List.of(
              "--url",
              "http://127.0.0.1:" + app.port() + "/api/work?cpuMillis=1",
              "--rate",
              "60",
              "--duration",
              "4s",
              "--threshold",
              "requests<150",
              "--threshold",
              "p99<30s",
              "--join-timeout",
              "90s",
              "--result-timeout",
              "30s");
      Process s0 = shard(0, peers, load, "--out", merged.toString(), "--serve-result", "3s");
      Process s1 = shard(1, peers, load, "--out", dir.resolve("own-1.json").toString());
      // The third shard starts only once the others are up and waiting for it: seconds late.
      await().atMost(Duration.ofSeconds(90)).until(() -> joined(port).equals(List.of(0, 1)));
      Instant lateStart = Instant.now();
      Process s2 = shard(2, peers, load, "--out", dir.resolve("own-2.json").toString());

      await().atMost(Duration.ofSeconds(90)).until(() -> log(0).contains("serving  the merged"));
      JsonNode served = JSON.readTree(get(port, "/shards/result"));
      assertThat(exit(s0)).as(log(0)).isEqualTo(1);
      assertThat(exit(s1)).as(log(1)).isZero();
      assertThat(exit(s2)).as(log(2)).isZero();

      // one start instant for all, although shard 2 was started seconds after the others
      List<String> starts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Matcher m = START.matcher(log(i));
        assertThat(m.find()).as(log(i)).isTrue();
        starts.add(m.group(1));
        assertThat(Double.parseDouble(m.group(2))).as("shard %d woke late", i).isLessThan(50.0);
      }
      assertThat(starts).containsOnly(starts.get(0));
      assertThat(Instant.parse(starts.get(0))).isAfter(lateStart);
      List<RunResult> shards = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        shards.add(ResultWriter.read(DistributedRun.shardFile(merged, i)));
      }
      for (RunResult s : shards) {
        long drift =
            Duration.between(Instant.parse(shards.get(0).startedAt()), Instant.parse(s.startedAt()))
                .abs()
                .toMillis();
        assertThat(drift).as("interval 0 starts at the same instant").isLessThanOrEqualTo(50);
        assertThat(s.intervals().size()).isEqualTo(shards.get(0).intervals().size());
        // each shard alone would pass every threshold
        assertThat(
                Thresholds.allPassed(
                    Thresholds.parse(List.of("requests<150", "p99<30s")).evaluate(s.summary())))
            .isTrue();
        assertThat(s.summary().requests()).isEqualTo(80);
      }

      RunResult m = ResultWriter.read(merged);
      assertThat(JSON.readTree(Files.readString(merged))).isEqualTo(served);
      assertThat(m.summary().requests()).isEqualTo(240).isEqualTo(appCount(app));
      assertThat(m.summary().ok()).isEqualTo(240);
      assertThat(m.summary().missingShards()).isEmpty();
      assertThat(m.checks().passed()).isFalse();
      assertThat(m.checks().thresholds().get(0).passed()).isFalse();
      assertThat(m.checks().thresholds().get(1).passed()).isTrue();
      assertThat(m.checks().verdict()).isEqualTo("failed: thresholds requests<150");
      assertThat(m.config()).containsEntry("intervalLatency", "merged histograms");
      // exact: the percentiles of the shards' histograms added up, not an average of percentiles
      Histogram c = ResultBuilder.newHistogram();
      Histogram u = ResultBuilder.newHistogram();
      for (RunResult s : shards) {
        c.add(HistogramCodec.decode(s.summary().histograms().corrected()));
        u.add(HistogramCodec.decode(s.summary().histograms().uncorrected()));
      }
      assertThat(m.summary().latencyMillis().corrected()).isEqualTo(Percentiles.full(c));
      assertThat(m.summary().latencyMillis().uncorrected()).isEqualTo(Percentiles.full(u));
      assertThat(log(0)).contains("merged   3 of 3 shards [0, 1, 2]").contains("verdict  failed");
    }
  }

  @Test
  void aShardKilledMidRunIsNamedInMissingShardsAndTheVerdictSaysPartial() throws Exception {
    try (SurgeApp app = app()) {
      int port = FreePort.find();
      String peers = peers(port);
      Path merged = dir.resolve("partial.json");
      List<String> load =
          List.of(
              "--url",
              "http://127.0.0.1:" + app.port() + "/api/work?cpuMillis=1",
              "--rate",
              "30",
              "--duration",
              "6s",
              "--join-timeout",
              "90s",
              "--drain-timeout",
              "1s",
              "--result-timeout",
              "3s");
      Process s0 = shard(0, peers, load, "--out", merged.toString());
      Process s1 = shard(1, peers, load);
      Process s2 = shard(2, peers, load);
      await().atMost(Duration.ofSeconds(90)).until(() -> START.matcher(log(2)).find());
      await().atMost(Duration.ofSeconds(30)).until(() -> appCount(app) >= 40);
      s2.destroyForcibly(); // SIGKILL: nothing is sent to shard 0
      assertThat(exit(s0)).as(log(0)).isEqualTo(1);
      assertThat(exit(s1)).as(log(1)).isZero();

      RunResult m = ResultWriter.read(merged);
      assertThat(m.summary().missingShards()).containsExactly(2);
      assertThat(m.summary().requests()).isEqualTo(120); // shards 0 and 1, 60 each
      assertThat(m.checks().passed()).isFalse();
      assertThat(m.checks().verdict())
          .startsWith("partial: shards [2] of 3 sent no result; the figures cover shards [0, 1]");
      assertThat(m.config()).containsEntry("shard", "merged 2 of 3");
      assertThat(log(0))
          .contains("missing  shards [2] sent no result")
          .contains("verdict  partial");
    }
  }

  @Test
  void twoShardsInOneAnswerPassWithExitZero() throws Exception {
    try (TestServer server = TestServer.builder().build()) {
      int port = FreePort.find();
      Path out = dir.resolve("pass.json");
      @SuppressWarnings({"unchecked", "rawtypes"})
      CompletableFuture<Cli.Result>[] runs = new CompletableFuture[2];
      for (int i = 0; i < 2; i++) {
        String[] args = {
          "run",
          "--url",
          server.url("/"),
          "--rate",
          "40",
          "--duration",
          "2s",
          "--shard",
          i + "/2",
          "--peers",
          "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1),
          "--threshold",
          "requests>=80",
          "--progress",
          "off",
          "--out",
          out.toString()
        };
        int index = i;
        runs[i] =
            CompletableFuture.supplyAsync(
                () -> index == 0 ? Cli.run(args) : Cli.run(without(args, "--out", out.toString())));
      }
      Cli.Result coordinator = runs[0].get(120, TimeUnit.SECONDS);
      Cli.Result other = runs[1].get(120, TimeUnit.SECONDS);
      assertThat(coordinator.exitCode()).as(coordinator.out() + coordinator.err()).isZero();
      assertThat(other.exitCode()).as(other.out() + other.err()).isZero();
      assertThat(coordinator.out()).contains("verdict  passed (2 shards merged)");
      RunResult m = ResultWriter.read(out);
      assertThat(m.summary().requests()).isEqualTo(80).isEqualTo(server.requests());
      assertThat(m.checks().passed()).isTrue();
    }
  }

  @Test
  void anUnreachableCoordinatorFailsTheShardWithExitTwoNamingIt() throws Exception {
    int port = FreePort.find();
    Cli.Result r =
        Cli.run(
            "run",
            "--url",
            "http://127.0.0.1:1/",
            "--rate",
            "10",
            "--duration",
            "1s",
            "--shard",
            "1/2",
            "--peers",
            "127.0.0.1:" + port + ",127.0.0.1:9",
            "--join-timeout",
            "1s",
            "--progress",
            "off");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "error: shard 1/2: coordinator (shard 0) at 127.0.0.1:"
                + port
                + " not reachable within 1s: ConnectException")
        .contains("check --peers")
        .doesNotContain("\tat ");
  }

  @Test
  void shardZeroGivesUpOnShardsThatNeverJoinNamingThem() throws Exception {
    int port = FreePort.find();
    Cli.Result r =
        Cli.run(
            "run",
            "--url",
            "http://127.0.0.1:1/",
            "--rate",
            "10",
            "--duration",
            "1s",
            "--shard",
            "0/3",
            "--peers",
            "127.0.0.1:" + port + ",127.0.0.1:9,127.0.0.1:10",
            "--join-timeout",
            "1s",
            "--progress",
            "off");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("error: shard 0/3: shards [1, 2] did not join within 1s; joined: [0]")
        .doesNotContain("\tat ");
  }

  // --- helpers

  private Process shard(int index, String peers, List<String> load, String... extra)
      throws IOException {
    Path jar = Path.of("target", "surge-loadgen.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar is built by the package phase before the ITs").exists();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // light JVMs: four of them share the CI machine's two cores
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "run",
                "--shard",
                index + "/3",
                "--peers",
                peers,
                "--progress",
                "lines"));
    cmd.addAll(load);
    cmd.addAll(List.of(extra));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("shard-" + index + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private String log(int index) throws IOException {
    Path p = dir.resolve("shard-" + index + ".log");
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  private static int exit(Process p) throws InterruptedException {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the shard exits within 2 minutes").isTrue();
    return p.exitValue();
  }

  /** Shard 0 listens on {@code port}; the others' addresses are never dialled. */
  private static String peers(int port) {
    return "127.0.0.1:" + port + ",127.0.0.1:9,127.0.0.1:10";
  }

  private static String get(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The shard indexes shard 0 has seen join ({@code GET /shards}). */
  private static List<Integer> joined(int port) {
    List<Integer> out = new ArrayList<>();
    try {
      JSON.readTree(get(port, "/shards")).path("joined").forEach(n -> out.add(n.asInt()));
    } catch (IOException e) {
      // not up yet
    }
    return out;
  }

  private static String[] without(String[] args, String... drop) {
    List<String> out = new ArrayList<>(List.of(args));
    out.removeAll(List.of(drop));
    return out.toArray(String[]::new);
  }

  private static SurgeApp app() {
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
                "app",
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
}
