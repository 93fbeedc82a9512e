package dev.surge.loadgen.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.loadgen.testing.Cli;
import dev.surge.testkit.FreePort;
import dev.surge.testkit.Tools;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --prometheus --hpa} against a real Prometheus (Debian's {@code prometheus}) that
 * scrapes the real app and a fixture exporter serving kube-state-metrics series whose replicas go 1
 * → 3 → 1 during the run; the live page's stream ({@code --ui}) carries the same timeline, the
 * prediction and the HPA's decisions as events.
 */
class LiveScalingIT {
  @TempDir Path dir;
  private HttpServer ksm;
  private SurgeApp app;
  private Process prometheus;
  private String prometheusUrl;
  private volatile int current = 1;
  private volatile int desired = 1;
  private volatile int ready = 1;

  @BeforeEach
  void startStack() throws Exception {
    String binary = Tools.require("prometheus", "prometheus").toString();
    ksm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ksm.createContext(
        "/metrics",
        ex -> {
          String body =
              """
              # TYPE kube_horizontalpodautoscaler_status_current_replicas gauge
              kube_horizontalpodautoscaler_status_current_replicas{namespace="surge",horizontalpodautoscaler="surge"} %d
              # TYPE kube_horizontalpodautoscaler_status_desired_replicas gauge
              kube_horizontalpodautoscaler_status_desired_replicas{namespace="surge",horizontalpodautoscaler="surge"} %d
              # TYPE kube_deployment_status_replicas_ready gauge
              kube_deployment_status_replicas_ready{namespace="surge",deployment="surge"} %d
              """
                  .formatted(current, desired, ready);
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    ksm.start();
    app =
        SurgeApp.start(
            AppConfig.parse(
                List.of(
                    "--port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--drain-delay",
                    "0ms",
                    "--instance",
                    "surge-a"),
                Map.of()));

    int port = FreePort.find();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: kube-state-metrics
            honor_labels: true
            static_configs:
              - targets: ["127.0.0.1:%d"]
          - job_name: surge
            static_configs:
              - targets: ["127.0.0.1:%d"]
                labels: {namespace: surge, pod: surge-a}
        """
            .formatted(ksm.getAddress().getPort(), app.metricsPort()));
    prometheus =
        new ProcessBuilder(
                binary,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    prometheusUrl = "http://127.0.0.1:" + port;
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                query("up{job=\"surge\"} == 1").size() == 1
                    && query("up{job=\"kube-state-metrics\"} == 1").size() == 1);
  }

  @AfterEach
  void stopStack() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (app != null) {
      app.close();
    }
    if (ksm != null) {
      ksm.stop(0);
    }
  }

  private JsonNode query(String promql) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              prometheusUrl
                                  + "/api/v1/query?query="
                                  + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(r.body()).path("data").path("result");
    } catch (Exception e) {
      return new ObjectMapper().createArrayNode(); // not up yet
    }
  }

  @Test
  void recordsTheReplicasTimelineBesideTheSimulationAndShowsReplicasLive() throws Exception {
    Path manifest = dir.resolve("hpa.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: surge}
        spec: {template: {spec: {containers: [{name: app, resources: {requests: {cpu: 100m}}}]}}}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: surge, namespace: surge}
        spec:
          scaleTargetRef: {kind: Deployment, name: surge}
          minReplicas: 1
          maxReplicas: 5
          metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
        """);
    Path out = dir.resolve("result.json");
    Path report = dir.resolve("report.html");
    // The fixture's scaling story, scripted on the run's clock: 1 replica, scale to 3 (ready a
    // little later), back to 1.
    ScheduledExecutorService script = Executors.newSingleThreadScheduledExecutor();
    long startedAt = System.nanoTime();
    var unusedUp =
        script.schedule(
            () -> {
              desired = 3;
              current = 3;
            },
            7,
            TimeUnit.SECONDS);
    var unusedReady = script.schedule(() -> ready = 3, 10, TimeUnit.SECONDS);
    var unusedDown =
        script.schedule(
            () -> {
              desired = 1;
              current = 1;
              ready = 1;
            },
            17,
            TimeUnit.SECONDS);
    // The live page's stream, read by a plain client from the start to the end frame (the page
    // draws what it carries; LivePageIT and ReportRenderIT show that in Chromium).
    int uiPort = FreePort.find();
    CompletableFuture<List<String>> stream = new CompletableFuture<>();
    Cli.Result r;
    try {
      CompletableFuture<Cli.Result> run =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      "run",
                      "--url",
                      "http://127.0.0.1:" + app.port() + "/api/work?cpuMillis=1",
                      "--profile",
                      "hold:20/25s",
                      "--progress",
                      "lines",
                      "--out",
                      out.toString(),
                      "--prometheus",
                      prometheusUrl,
                      "--hpa",
                      "surge/surge",
                      "--scaling-poll",
                      "1s",
                      "--hpa-manifest",
                      manifest.toString(),
                      "--cpu-per-request",
                      "10ms",
                      "--report",
                      report.toString(),
                      "--ui",
                      "--ui-port",
                      String.valueOf(uiPort)));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> connect(uiPort, stream) || run.isDone());
      r = run.get(3, TimeUnit.MINUTES);
    } finally {
      script.shutdownNow();
    }
    assertThat(System.nanoTime() - startedAt)
        .as("the run outlasted the script")
        .isGreaterThan(20_000_000_000L);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("replicas 1 (desired 1, ready 1)")
        .contains("replicas 3 (desired 3, ready 3)");

    JsonNode scaling = new ObjectMapper().readTree(out.toFile()).path("scaling");
    List<Integer> seen = new ArrayList<>();
    for (JsonNode s : scaling.path("timeline")) {
      int c = s.path("currentReplicas").asInt(-1);
      if (c > 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != c)) {
        seen.add(c);
      }
    }
    assertThat(seen).containsExactly(1, 3, 1);
    // desired rose at ~7 s, all 3 ready at ~10 s: about 3 s, give or take scrape and poll lag
    assertThat(scaling.path("scaleUpSeconds").asDouble()).isBetween(1.0, 7.0);
    assertThat(scaling.path("scaleDownSeconds").isNumber()).isTrue();
    boolean appRateSeen = false;
    for (JsonNode s : scaling.path("timeline")) {
      appRateSeen |= s.path("podRates").path("surge-a").asDouble(0) > 5;
    }
    assertThat(appRateSeen)
        .as("the app's per-pod request rate from surge_http_requests_total")
        .isTrue();
    // 20 req/s × 10 ms = 200m against 100m × 50 %: the model scales to 4
    assertThat(scaling.path("simulated").size()).isGreaterThan(1);
    int simulatedPeak = 0;
    for (JsonNode s : scaling.path("simulated")) {
      simulatedPeak = Math.max(simulatedPeak, s.path("replicas").asInt());
    }
    assertThat(simulatedPeak).isEqualTo(4);
    // The report is the live page with the result embedded: the replicas chart draws the observed
    // timeline beside the simulation from it (ReportRenderIT draws it in Chromium).
    assertThat(Files.readString(report))
        .contains("\"timeline\":[{")
        .contains("\"simulated\":[{")
        .contains("'observed current'");

    // The live page got the same story as it happened: the prediction first, every poll as the
    // result's timeline records it, the HPA's decisions and the ready count as events, then the
    // end.
    List<Frame> frames = frames(stream.get(30, TimeUnit.SECONDS));
    assertThat(frames).isNotEmpty();
    assertThat(frames.get(frames.size() - 1).event()).isEqualTo("end");
    JsonNode info =
        frames.stream()
            .filter(f -> f.event().equals("scaling-info"))
            .findFirst()
            .orElseThrow()
            .data();
    assertThat(info.path("source").asText()).isEqualTo("prometheus");
    assertThat(info.path("hpa").asText()).isEqualTo("surge/surge");
    assertThat(info.path("simulated")).isEqualTo(scaling.path("simulated"));
    List<JsonNode> live =
        frames.stream().filter(f -> f.event().equals("scaling")).map(Frame::data).toList();
    assertThat(live)
        .as("every poll reached the page, as the result's timeline has it")
        .containsExactlyElementsOf(scaling.path("timeline"));
    List<String> events =
        frames.stream()
            .filter(f -> f.event().equals("event"))
            .map(
                f ->
                    f.data().path("kind").asText()
                        + " "
                        + f.data().path("subject").asText()
                        + " "
                        + f.data().path("message").asText())
            .toList();
    assertThat(events)
        .anyMatch(e -> e.startsWith("hpa surge/surge 1 -> 3 replicas (desired"))
        .anyMatch(e -> e.startsWith("hpa surge/surge 3 -> 1 replicas (desired"))
        .anyMatch(e -> e.equals("pod deployment surge 1 -> 3 ready"))
        .anyMatch(e -> e.equals("pod deployment surge 3 -> 1 ready"));
    JsonNode recorded = new ObjectMapper().readTree(out.toFile()).path("events");
    assertThat(recorded.findValuesAsText("message"))
        .as("the result's events[] has the decisions too")
        .anyMatch(m -> m.startsWith("1 -> 3 replicas (desired"));
  }

  /** One server-sent event of the live page's stream. */
  private record Frame(String event, JsonNode data) {}

  private static List<Frame> frames(List<String> lines) throws Exception {
    List<Frame> frames = new ArrayList<>();
    String event = null;
    for (String line : lines) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && event != null) {
        frames.add(new Frame(event, new ObjectMapper().readTree(line.substring(6))));
        event = null;
      }
    }
    return frames;
  }

  /**
   * Opens the live page's stream once the run serves it; {@code lines} completes when the stream
   * ends (after the end frame). False while nothing listens yet.
   */
  private static boolean connect(int port, CompletableFuture<List<String>> lines) {
    HttpResponse<java.util.stream.Stream<String>> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                      .build(),
                  HttpResponse.BodyHandlers.ofLines());
    } catch (java.io.IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    assertThat(response.statusCode()).isEqualTo(200);
    var unused =
        CompletableFuture.runAsync(
            () -> {
              try (var body = response.body()) {
                lines.complete(body.toList());
              } catch (RuntimeException e) {
                lines.completeExceptionally(e);
              }
            });
    return true;
  }
}
