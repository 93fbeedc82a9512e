package dev.surge.systest.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.lab.monitoring.AdapterRule;
import dev.surge.systest.dashboards.Dashboard;
import dev.surge.systest.dashboards.DashboardQueries;
import dev.surge.systest.dashboards.PanelQuery;
import dev.surge.systest.support.Http;
import dev.surge.systest.support.Kustomize;
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
 * The whole day in one lab run, {@code demo --story} as the README shows it (the real lab jar, the
 * real app as pods, a real Prometheus and a real Alertmanager), which is also the lab's KEDA test:
 *
 * <ul>
 *   <li>KEDA's operator loop on {@code k8s/overlays/keda-zero} (minReplicaCount 0, a trigger on the
 *       demand in front of the pods): the first poll finds no trigger active and scales the pod the
 *       lab started to zero (initialCooldownPeriod 0), the load's requests fail while at zero, the
 *       demand trigger activates 0 to 1, the HPA KEDA created scales 1 to N on its requests/s
 *       triggers, back to 1 on the trickle, and KEDA deactivates 1 to 0 after the cooldown: each
 *       step a {@code hpa keda} event with KEDA's reason and a timeline entry;
 *   <li>an error burst injected through the pods' admin API fires the fast-burn SLO alert, which
 *       the shipped routing delivers to {@code surge-page} and which resolves;
 *   <li>three kills of one pod's container (restarted in place by the lab's kubelet) raise {@code
 *       SurgePodCrashLooping};
 *   <li>while the lab runs, every panel query of every dashboard (read from the files) returns data
 *       from the lab's own series.
 * </ul>
 *
 * <p>Timing: {@code --fast} (rule windows and {@code for:} divided by 12, the trigger queries' [1m]
 * windows by 3, KEDA's pollingInterval 5 s and cooldownPeriod 30 s, Alertmanager's grouping timers
 * 1 s). The page resolves when both window pairs of the burn-rate rule are clear: the 30-minute
 * window (150 s on the lab's clock) holds the burst (40-50 s) until about 200 s, so the load lasts
 * 215 s. The CPU request is 1 core so that CPU stays far below its 70 % trigger and requests/s is
 * what scales. This one run replaces the lab module's former LabKedaIT (its assertions are here)
 * and the former story on the adapter HPA: the suite pays for one ~4-minute Prometheus run instead
 * of two.
 */
class LabStoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROMETHEUS =
      Pattern.compile("^prometheus (http://127\\.0\\.0\\.1:\\d+) ");

  @Test
  void kedaScalesFromZeroToNAndBackToZeroAnErrorBurstPagesAndResolvesAndEveryPanelHasData(
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
            "demo",
            "--story",
            // the test's own files and console, over the preset's
            "--timeout",
            "60s",
            "--progress",
            "lines",
            "--out",
            result.toString(),
            "--report",
            dir.resolve("report.html").toString(),
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
      // prometheus-adapter's shipped rule, rendered by the lab's AdapterRule for this ReplicaSet's
      // pods, answers one requests/s value per serving pod from the lab's Prometheus (the adapter
      // HPA itself runs in `lab run --hpa k8s/overlays/full`, no longer in the suite's one run)
      AdapterRule rule =
          AdapterRule.read(
                  Kustomize.readYaml(
                      RepoPaths.resolve(
                          "k8s/components/custom-metrics-hpa/prometheus-adapter-values.yaml")))
              .get(0);
      String adapterQuery = rule.query("surge", List.of("surge-[a-z0-9]+-[a-z0-9]+"));
      await("prometheus-adapter's rule answers per pod: " + adapterQuery)
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(3))
          .until(() -> positivePods(prometheus, adapterQuery) >= 2);
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
      assertThat(lab.exitValue()).as(text).isZero();
      assertThat(livePods(text)).as("app processes left after the lab ended").isEmpty();
      assertThat(text)
          .contains(
              "prometheus starts: the HPA's external/s0-prometheus, external/s2-prometheus come"
                  + " from Prometheus (KEDA's prometheus triggers)")
          .contains("40s:error-rate=0.5/10s")
          .contains("KEDA polling       15s -> 5s")
          .contains("KEDA cooldown      300s -> 30s")
          .contains("KEDA s0-prometheus [1m] -> [20s]");
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

      // KEDA's operator loop: each step an event with KEDA's reason and the trigger values
      List<String> keda =
          text.lines().filter(l -> l.startsWith("hpa      keda ")).map(String::strip).toList();
      assertThat(keda).as(text).hasSize(3);
      assertThat(keda.get(0))
          .as("the first poll: nothing active yet, never active, initialCooldownPeriod 0")
          .matches(
              "hpa      keda 0s: 1 -> 0 replicas \\(KEDAScaleTargetDeactivated: .*never active,"
                  + " initialCooldownPeriod 0s since the ScaledObject was created\\)");
      assertThat(keda.get(1))
          .as("the demand in front of the pods wakes it")
          .matches(
              "hpa      keda \\d+s: 0 -> 1 replicas \\(KEDAScaleTargetActivated: triggered by"
                  + " .*s2-prometheus [0-9.]+ > activationThreshold 1.*\\)");
      assertThat(keda.get(2))
          .as("no trigger active for the cooldown after the load")
          .matches(
              "hpa      keda \\d+s: 1 -> 0 replicas \\(KEDAScaleTargetDeactivated:"
                  + " s0-prometheus 0 <= activationThreshold 0, s2-prometheus [0-9.]+ <="
                  + " activationThreshold 1; cooldownPeriod 30s since the last active poll at"
                  + " \\d+s\\)");

      JsonNode run = JSON.readTree(result.toFile());
      JsonNode timeline = run.path("scaling").path("timeline");
      List<Integer> steps = new ArrayList<>();
      List<String> kedaReasons = new ArrayList<>();
      int peakUtilization = 0;
      for (JsonNode e : timeline) {
        int r = e.path("currentReplicas").asInt();
        if (steps.isEmpty() || steps.get(steps.size() - 1) != r) {
          steps.add(r);
        }
        if (e.path("driver").asText().equals("keda")) {
          kedaReasons.add(e.path("reason").asText() + "->" + r);
        }
        peakUtilization = Math.max(peakUtilization, e.path("utilizationPercent").asInt());
      }
      assertThat(kedaReasons)
          .as("KEDA's steps in the timeline")
          .containsExactly(
              "KEDAScaleTargetDeactivated->0",
              "KEDAScaleTargetActivated->1",
              "KEDAScaleTargetDeactivated->0");
      assertThat(steps.get(steps.size() - 1)).as("ends at zero: %s", steps).isZero();
      int zeroToOne = steps.indexOf(1);
      int peakAt = zeroToOne;
      for (int i = zeroToOne; i < steps.size(); i++) {
        if (steps.get(i) > steps.get(peakAt)) {
          peakAt = i;
        }
      }
      assertThat(steps.subList(0, 2)).as("0, then 0 -> 1: %s", steps).containsExactly(0, 1);
      assertThat(steps.get(peakAt)).as("1 -> N on requests/s: %s", steps).isGreaterThanOrEqualTo(3);
      assertThat(steps.subList(peakAt, steps.size()))
          .as("N -> 1 by the HPA, then 1 -> 0 by KEDA: %s", steps)
          .endsWith(1, 0);
      assertThat(peakUtilization).as("CPU stayed below its trigger").isLessThan(70);
      // while at zero the Service has no endpoints: those requests failed, by kind
      JsonNode kinds = run.path("summary").path("errorsByKind");
      assertThat(kinds.path("reset").asLong() + kinds.path("connect_refused").asLong())
          .as("requests while at zero: %s", kinds)
          .isPositive();
      assertThat(run.path("events").toString())
          .as("KEDA's steps are run events for the live page and the report")
          .contains("KEDAScaleTargetActivated");
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

  private static final Pattern STARTED =
      Pattern.compile(
          "^pod +\\S+ container (?:started|restarted) \\(pid (\\d+)\\)", Pattern.MULTILINE);

  /** The pods' processes (from the lab's pod events) that are still alive. */
  private static List<ProcessHandle> livePods(String text) {
    List<ProcessHandle> alive = new ArrayList<>();
    Matcher m = STARTED.matcher(text);
    while (m.find()) {
      ProcessHandle.of(Long.parseLong(m.group(1)))
          .filter(ProcessHandle::isAlive)
          .ifPresent(alive::add);
    }
    return alive;
  }

  /** How many series of {@code expr}'s vector have a positive value. */
  private static int positivePods(String prometheus, String expr) throws IOException {
    HttpResponse<String> r =
        Http.get(
            URI.create(
                prometheus
                    + "/api/v1/query?query="
                    + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    int n = 0;
    for (JsonNode s : JSON.readTree(r.body()).path("data").path("result")) {
      if (s.path("metric").has("pod") && s.path("value").path(1).asDouble() > 0) {
        n++;
      }
    }
    return n;
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
