package dev.surge.systest.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.systest.dashboards.Dashboard;
import dev.surge.systest.dashboards.DashboardQueries;
import dev.surge.systest.dashboards.PanelQuery;
import dev.surge.systest.support.Http;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's observability end to end, on the real lab jar with the real app as pods, a real
 * Prometheus and a real Alertmanager: the adapter HPA of {@code k8s/overlays/full} (CPU 70 % and
 * requests/s per pod through prometheus-adapter's shipped rule) scales out on requests/s and back;
 * an error burst injected through the pods' admin API fires the fast-burn SLO alert, which the
 * shipped routing delivers to {@code surge-page} and which resolves; three kills of one pod's
 * container (restarted in place by the lab's kubelet) raise {@code SurgePodCrashLooping}; and while
 * the lab runs, every panel query of every dashboard (read from the files) returns data from the
 * lab's own series.
 *
 * <p>Timing: {@code --fast} (rule windows and {@code for:} divided by 12, Alertmanager's grouping
 * timers 1 s). The page resolves when both window pairs of the burn-rate rule are clear: the
 * 30-minute window (150 s on the lab's clock) still holds the burst for 150 s after it, so the run
 * lasts 200 s. Prometheus' {@code rate()} over a series younger than its window under-reads it, so
 * the requests/s scale-out comes about a minute into the load, as it would for a new Deployment.
 * The CPU request is raised to 1 core so that CPU stays far below its 70 % target and requests/s is
 * what scales.
 */
class LabStoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROMETHEUS =
      Pattern.compile("^prometheus (http://127\\.0\\.0\\.1:\\d+) ");

  @Test
  void requestsPerSecondScaleOutAndBackAnErrorBurstPagesAndResolvesAndEveryPanelHasData(
      @TempDir Path dir) throws Exception {
    Tools.require("prometheus", "prometheus");
    Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    Path result = dir.resolve("result.json");
    Path out = dir.resolve("lab.out");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            labJar().toString(),
            "run",
            "--fast",
            "--hpa",
            RepoPaths.resolve("k8s/overlays/full").toString(),
            "--alertmanager",
            "--cpu-request",
            "1000m",
            "--replica-cap",
            "4",
            "--path",
            "/api/work?cpuMillis=1",
            "--profile",
            "ramp:0->150/10s,hold:150/70s,hold:3/120s",
            "--fault",
            "10s:error-rate=0.5/10s",
            // three kills of one pod's container, each while it runs between its back-offs (10 s,
            // 20 s): its restarts (at about 30, 52 and 94 s) fall within the crash-loop rule's 15m
            // (75 s on the --fast clock)
            "--fault",
            "20s:pod-kill",
            "--fault",
            "32s:pod-kill",
            "--fault",
            "54s:pod-kill",
            "--max-connection-age",
            "1s",
            "--timeout",
            "60s",
            "--progress",
            "lines",
            "--out",
            result.toString(),
            "--work-dir",
            dir.resolve("work").toString());
    Process lab =
        new ProcessBuilder(cmd)
            .directory(RepoPaths.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      String prometheus =
          await("the lab's Prometheus URL in its output")
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> prometheusUrl(out, lab), Optional::isPresent)
              .orElseThrow();

      List<PanelQuery> queries = new ArrayList<>();
      for (Dashboard d : Dashboard.loadAll(RepoPaths.resolve("dashboards"))) {
        queries.addAll(DashboardQueries.of(d, values()));
      }
      assertThat(queries).hasSizeGreaterThan(60);
      // A query that has shown data once is done (the load's phases come and go).
      List<PanelQuery> noData = new ArrayList<>(queries);
      await("data for every panel query of the six dashboards")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                assertThat(lab.isAlive()).as(text(out)).isTrue();
                noData.removeIf(q -> hasData(prometheus, q.expr()));
                assertThat(noData.stream().map(q -> q.where() + ": " + q.expr()).toList())
                    .as("panel queries without a finite sample")
                    .isEmpty();
              });

      assertThat(lab.waitFor(480, TimeUnit.SECONDS)).as(text(out)).isTrue();
      String text = text(out);
      assertThat(lab.exitValue()).as(text).isIn(0, 1);
      assertThat(text)
          .contains("prometheus starts: the HPA's pods/surge_http_requests_per_second")
          .contains("faults   10s:error-rate=0.5/10s");
      int firing = text.indexOf("SurgeErrorBudgetBurnFast alertmanager: firing to surge-page");
      int resolved = text.indexOf("SurgeErrorBudgetBurnFast alertmanager: resolved to surge-page");
      assertThat(firing).as("the fast burn paged: %s", text).isPositive();
      assertThat(resolved).as("and resolved after the burst: %s", text).isGreaterThan(firing);
      assertThat(text.indexOf("SurgeErrorBudgetBurnFast pending"))
          .as("pending before firing")
          .isBetween(0, firing);

      assertThat(text)
          .as("three restarts of one container raise the crash-loop alert")
          .contains("SurgePodCrashLooping firing");

      JsonNode timeline = JSON.readTree(result.toFile()).path("scaling").path("timeline");
      int peak = 0;
      int last = 0;
      int peakUtilization = 0;
      for (JsonNode e : timeline) {
        peak = Math.max(peak, e.path("currentReplicas").asInt());
        peakUtilization = Math.max(peakUtilization, e.path("utilizationPercent").asInt());
        last = e.path("currentReplicas").asInt();
      }
      assertThat(peak).as("scaled out on requests/s: %s", timeline).isGreaterThanOrEqualTo(3);
      assertThat(peakUtilization).as("CPU stayed below its target").isLessThan(70);
      assertThat(last).as("and back to minReplicas: %s", timeline).isEqualTo(2);
    } finally {
      lab.descendants().forEach(ProcessHandle::destroyForcibly);
      lab.destroyForcibly();
      lab.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Path labJar() {
    Path jar = Path.of(System.getProperty("surge.lab.jar", "")).toAbsolutePath();
    assertThat(Files.isRegularFile(jar))
        .as("surge.lab.jar=%s (./mvnw -B -q -pl lab -am -DskipTests package)", jar)
        .isTrue();
    return jar;
  }

  private static Optional<String> prometheusUrl(Path out, Process lab) {
    for (String line : text(out).split("\n")) {
      Matcher m = PROMETHEUS.matcher(line);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    if (!lab.isAlive()) {
      throw new AssertionError("the lab exited: " + text(out));
    }
    return Optional.empty();
  }

  private static boolean hasData(String prometheus, String expr) {
    HttpResponse<String> r =
        Http.get(
            URI.create(
                prometheus
                    + "/api/v1/query?query="
                    + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    try {
      JsonNode data = JSON.readTree(r.body()).path("data");
      if (data.path("resultType").asText().equals("vector")) {
        for (JsonNode s : data.path("result")) {
          if (finite(s.path("value").path(1).asText())) {
            return true;
          }
        }
        return false;
      }
      return finite(data.path("result").path(1).asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean finite(String v) {
    try {
      return Double.isFinite(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // The dashboards' variables as a lab run fills them (rate windows of 5m span the run).
  private static Map<String, String> values() {
    return Map.of(
        "namespace", "surge",
        "pod", ".*",
        "hpa", "surge",
        "__rate_interval", "5m",
        "__interval", "15s",
        "__range", "5m",
        "__range_s", "300");
  }

  private static String text(Path out) {
    try {
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
