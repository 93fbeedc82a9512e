package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prometheus-adapter HPA ({@code k8s/overlays/full}: CPU 70 % and the {@code Pods} metric
 * {@code surge_http_requests_per_second}, 50 per pod) with a real Prometheus, as docs/LAB.md's
 * "Requests/s through Prometheus" runs it by hand: 150 requests/s against two pods of 1000m (CPU
 * stays far below its target) scale 2 to 3 on the adapter rule's per-pod rate, and the trickle
 * after it scales back to 2.
 *
 * <p>Timing ({@code --fast}: the rule's {@code [1m]} is {@code [20s]}, scale-up window 10 s,
 * scale-down window 20 s): the rate passes 110/s (two pods, 10 % tolerance) about 20 s into the
 * load, the scale-up follows the window, so 2 to 3 at ~25-35 s; the plateau ends at 35 s, the
 * window's rate falls within 20 s and the scale-down window adds 20 s, so 3 to 2 at ~60 s of the 70
 * s load. Measured 2026-12-04: 88-94 s at load averages 3-17 (steps at 25 s and 60-65 s); 122 s
 * with 13 CPU burners beside it (load 15-19; the same steps, the rest the pods' and Prometheus's
 * start-up).
 */
class LabAdapterIT {
  private static final String METRIC = "pods/surge_http_requests_per_second";
  private static final Pattern PROMETHEUS =
      Pattern.compile("^prometheus (http://127\\.0\\.0\\.1:\\d+) ", Pattern.MULTILINE);

  @Test
  void requestsPerSecondThroughTheAdapterRuleScaleOutAndBack(@TempDir Path dir) throws Exception {
    Tools.require("prometheus", "prometheus");
    try (LabProcess lab =
        LabProcess.builder(dir)
            .args("--hpa", "k8s/overlays/full", "--cpu-request", "1000m", "--replica-cap", "4")
            .args("--path", "/api/work?cpuMillis=1", "--max-connection-age", "1s")
            .args("--timeout", "60s")
            .profile("ramp:0->150/5s,hold:150/30s,hold:3/35s")
            .start()) {
      assertThat(lab.awaitOutput("the load starts", Duration.ofMinutes(3))).as(lab.text()).isTrue();
      Matcher url = PROMETHEUS.matcher(lab.text());
      assertThat(url.find()).as(lab.text()).isTrue();
      String prometheus = url.group(1);
      // the lab's Prometheus, to prove it is gone after the lab
      List<ProcessHandle> prometheusProcesses =
          lab.process
              .descendants()
              .filter(h -> h.info().command().orElse("").endsWith("prometheus"))
              .toList();
      assertThat(prometheusProcesses).as("the lab's Prometheus process").isNotEmpty();

      int exit = lab.waitFor(240);
      String text = lab.text();
      assertThat(exit).as(text).isZero();
      assertThat(text)
          .contains(
              "prometheus starts: the HPA's "
                  + METRIC
                  + " come from Prometheus (prometheus-adapter's rule)")
          .contains("adapter surge_http_requests_per_second [1m] -> [20s]")
          .containsPattern("hpa +\\d+s: 2 -> [34] replicas \\(.*driven by " + METRIC)
          .containsPattern("hpa +\\d+s: [34] -> 2 replicas");

      // the steps in the suite's log (the run's output is in a deleted temporary directory)
      text.lines().filter(l -> l.matches("hpa +\\d+s: .*")).forEach(System.out::println);
      JsonNode result = lab.result();
      assertThat(result.path("summary").path("errors").asLong()).as(text).isZero();
      assertThat(result.path("summary").path("ok").asLong()).as(text).isPositive();

      JsonNode timeline = result.path("scaling").path("timeline");
      List<Integer> steps = new ArrayList<>();
      JsonNode up = null;
      JsonNode down = null;
      for (JsonNode e : timeline) {
        int r = e.path("currentReplicas").asInt();
        // an entry holds the replicas after its sync's decision
        int before = steps.isEmpty() ? r : steps.get(steps.size() - 1);
        if (up == null && before == 2 && r > 2) {
          up = e;
        }
        if (up != null && down == null && before > 2 && r == 2) {
          down = e;
        }
        if (steps.isEmpty() || r != before) {
          steps.add(r);
        }
      }
      assertThat(steps).as("above minReplicas and back: %s", text).startsWith(2).endsWith(2);
      assertThat(steps.stream().mapToInt(Integer::intValue).max().orElse(0))
          .as("steps %s", steps)
          .isBetween(3, 4);
      assertThat(up).as("the scale-out decision in %s", timeline).isNotNull();
      assertThat(down).as("the scale-in decision in %s", timeline).isNotNull();

      assertThat(up.path("driver").asText()).as("scale-out %s", up).isEqualTo(METRIC);
      assertThat(up.path("reason").asText()).as("scale-out %s", up).doesNotStartWith("Failed");
      JsonNode upRate = metric(up, METRIC);
      assertThat(upRate.path("target").asDouble()).isEqualTo(50.0);
      // the adapter's per-pod average: above the target with its tolerance
      assertThat(upRate.path("current").asDouble()).as("scale-out %s", up).isGreaterThan(55);
      assertThat(upRate.path("proposal").asInt()).as("scale-out %s", up).isGreaterThan(2);
      assertThat(metric(up, "cpu").path("proposal").asInt())
          .as("CPU does not drive it: %s", up)
          .isLessThanOrEqualTo(2);

      JsonNode downRate = metric(down, METRIC);
      assertThat(down.path("reason").asText()).as("scale-in %s", down).doesNotStartWith("Failed");
      assertThat(downRate.path("current").asDouble())
          .as("the adapter's value on the trickle: %s", down)
          .isBetween(0.0, 50.0);

      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();
      assertThat(prometheusProcesses.stream().filter(ProcessHandle::isAlive).toList())
          .as("Prometheus left after the lab ended")
          .isEmpty();
      await("Prometheus's port closed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> refused(prometheus));
    }
  }

  private static JsonNode metric(JsonNode entry, String name) {
    for (JsonNode m : entry.path("metrics")) {
      if (m.path("metric").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no metric " + name + " in " + entry);
  }

  private static boolean refused(String url) throws InterruptedException {
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url + "/-/healthy"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
