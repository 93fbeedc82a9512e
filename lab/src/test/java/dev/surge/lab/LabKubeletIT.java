package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pods: a container the app refuses to start crash-loops and the lab gives up with exit 2
 * showing the pod's state and the app's own error; a memory burn through the admin API scales a
 * memory HPA out, driven by memory.
 */
class LabKubeletIT {
  /**
   * The memory test's load, five syncs: the manifest has no behavior (no scale-up window), so the
   * scale-out comes at the first sync after the burn (5 s in at a load average of 13).
   */
  private static final int LOAD_SECONDS = 25;

  private static final String MEMORY_HPA =
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: surge}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: surge}
        minReplicas: 1
        maxReplicas: 2
        metrics:
          - type: Resource
            resource: {name: memory, target: {type: Utilization, averageUtilization: 100}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: surge}
      spec:
        template:
          spec:
            containers:
              - name: app
                env:
                  - {name: JAVA_TOOL_OPTIONS, value: "-XX:MaxRAMPercentage=60 -XX:+UseSerialGC"}
                # 500m: the pod's start-up CPU settles under a fifth of it within one window,
                # so the load starts early; CPU plays no part in this HPA.
                resources:
                  requests: {cpu: 500m, memory: 256Mi}
                  limits: {memory: 1Gi}
                readinessProbe:
                  httpGet: {path: /readyz, port: http}
                  periodSeconds: 2
                  failureThreshold: 2
      """;

  @Test
  void aPodTheAppRefusesCrashLoopsAndTheLabGivesUpWithItsError(@TempDir Path dir) throws Exception {
    try (LabProcess lab =
        LabProcess.builder(dir)
            .profile("hold:1/10s")
            .args("--pod-arg=--no-such-flag")
            .noResult()
            .start()) {
      int exit = lab.waitFor(180);
      String text = lab.text();
      assertThat(exit).as(text).isEqualTo(2);
      assertThat(text)
          .contains("error: no pod could start")
          .contains("CrashLoopBackOff (last exit code 2, Error; 1 restarts)")
          .contains("log: ")
          .contains("--no-such-flag")
          .contains("container exited (code 2, Error): CrashLoopBackOff, restart 1 in 10s")
          .doesNotContain("Exception");
      // One log per pod (restarts append), and no JVM storm: one container start per pod.
      try (var logs = Files.list(dir.resolve("logs"))) {
        assertThat(logs.count()).isEqualTo(lab.pids().size());
      }
      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();
    }
  }

  @Test
  void aMemoryBurnScalesAMemoryHpaOut(@TempDir Path dir) throws Exception {
    Path manifest = Files.writeString(dir.resolve("hpa.yaml"), MEMORY_HPA);
    try (LabProcess lab =
        LabProcess.builder(dir)
            .args("--hpa", manifest.toString(), "--replica-cap", "2")
            .args("--path", "/api/work?cpuMillis=1", "--timeout", "60s")
            // The load only has to outlast the scale-out: the burn is read within a second and
            // the --fast controller syncs every 5 s.
            .profile("hold:2/" + LOAD_SECONDS + "s")
            .start()) {
      assertThat(lab.awaitOutput("the load starts", Duration.ofMinutes(3))).as(lab.text()).isTrue();
      int service = lab.servicePort().orElseThrow(() -> new AssertionError(lab.text()));
      HttpResponse<String> burn =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + service + "/admin/memory"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"mebibytes\": 250, \"durationSeconds\": " + LOAD_SECONDS + "}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(burn.statusCode()).as(burn.body()).isEqualTo(200);
      assertThat(lab.awaitOutput("1 -> 2 replicas", Duration.ofMinutes(2))).as(lab.text()).isTrue();
      assertThat(lab.text()).contains("driven by memory");
      int exit = lab.waitFor(300);
      assertThat(exit).as(lab.text()).isZero();
      JsonNode timeline = lab.result().path("scaling").path("timeline");
      JsonNode up = null;
      for (JsonNode e : timeline) {
        if (e.path("desiredReplicas").asInt() == 2 && up == null) {
          up = e;
        }
      }
      assertThat(up).as(lab.text()).isNotNull();
      assertThat(up.path("driver").asText()).isEqualTo("memory");
      JsonNode mem = up.path("metrics").get(0);
      assertThat(mem.path("metric").asText()).isEqualTo("memory");
      assertThat(mem.path("unit").asText()).isEqualTo("%");
      assertThat(mem.path("current").asDouble()).isGreaterThan(100);
      assertThat(mem.path("proposal").asInt()).isEqualTo(2);
      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();
    }
  }
}
