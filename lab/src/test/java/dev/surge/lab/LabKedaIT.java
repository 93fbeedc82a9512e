package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEDA's requests/s autoscaling in the lab: the shipped {@code k8s/overlays/keda} ScaledObject (a
 * prometheus trigger on {@code sum(rate(surge_http_requests_total{...}[1m]))}, threshold 50 per
 * pod, and a CPU trigger at 70 %), translated by {@code KedaTranslator}, its External metric
 * answered from the lab's real Prometheus as KEDA's Prometheus scaler answers it. The CPU request
 * is 1 core so that CPU stays far below 70 %: the prometheus trigger is what scales out (150
 * requests/s for 2 pods) and back.
 */
class LabKedaIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thePrometheusTriggerScalesOutAndBackThroughTheRealPrometheus(@TempDir Path dir)
      throws Exception {
    Path result = dir.resolve("result.json");
    List<String> args =
        List.of(
            "run",
            "--fast",
            "--hpa",
            LabProcess.REPO.resolve("k8s/overlays/keda").toString(),
            "--cpu-request",
            "1000m",
            "--replica-cap",
            "4",
            "--path",
            "/api/work?cpuMillis=1",
            "--profile",
            "ramp:0->150/10s,hold:150/70s,hold:3/90s",
            "--max-connection-age",
            "1s",
            "--timeout",
            "60s",
            "--progress",
            "lines",
            "--out",
            result.toString(),
            "--work-dir",
            dir.resolve("logs").toString());
    try (LabProcess lab = LabProcess.start(dir, args)) {
      int exit = lab.waitFor(420);
      String text = lab.text();
      assertThat(exit).as(text).isZero();
      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();
      assertThat(text)
          .contains("prometheus starts: the HPA's external/s0-prometheus come from Prometheus")
          .contains("(KEDA's prometheus triggers)");
      JsonNode timeline = JSON.readTree(result.toFile()).path("scaling").path("timeline");
      int peak = 0;
      int last = 0;
      int peakUtilization = 0;
      for (JsonNode e : timeline) {
        peak = Math.max(peak, e.path("currentReplicas").asInt());
        peakUtilization = Math.max(peakUtilization, e.path("utilizationPercent").asInt());
        last = e.path("currentReplicas").asInt();
      }
      assertThat(peak).as("scaled out on the trigger: %s", timeline).isGreaterThanOrEqualTo(3);
      assertThat(peakUtilization).as("CPU stayed below its trigger").isLessThan(70);
      assertThat(last).as("and back to minReplicaCount: %s", timeline).isEqualTo(2);
    }
  }
}
