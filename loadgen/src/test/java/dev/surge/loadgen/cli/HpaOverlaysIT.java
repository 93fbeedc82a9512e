package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code simulate} and {@code plan} on each shipped autoscaler, as shipped: the overlays rendered
 * by the real {@code kubectl kustomize}.
 */
class HpaOverlaysIT {
  private static final Path K8S = Path.of("..", "k8s");
  private static final String PROFILE = "ramp:0->300/2m,hold:300/3m,ramp:300->0/1m";

  private static String overlay(String name) {
    dev.surge.testkit.Tools.require("kubectl", "kubectl");
    Path dir = K8S.resolve(name);
    assertThat(dir.resolve("kustomization.yaml")).exists();
    return dir.toString();
  }

  /** The metric column of each timeline row, in order. */
  private static List<String> drivers(String out) {
    Matcher m =
        Pattern.compile("(?m)^\\s+\\d+s\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\S+)")
            .matcher(out);
    List<String> metrics = new java.util.ArrayList<>();
    while (m.find()) {
      metrics.add(m.group(1));
    }
    return metrics;
  }

  @Test
  void fullOverlayScalesOnCpuAndRequestsPerSecond() {
    // the prometheus-adapter HPA (overlays/full); the default path, overlays/demo, is CPU only
    CliRunner r =
        CliRunner.run(
            "simulate",
            "--hpa",
            overlay("overlays/full"),
            "--cpu-per-request",
            "2ms",
            "--profile",
            PROFILE,
            "--tail",
            "8m");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("HPA surge: min 2, max 10, with behavior")
        .contains(
            "metrics:  cpu 70% of 250m, pods/surge_http_requests_per_second 50/pod (req/s per pod)");
    // at 2 ms a request a pod at 70 % of 250m serves 87.5 req/s: the 50 req/s target binds
    assertThat(drivers(r.out())).contains("pods/surge_http_requests_per_second");
    assertThat(r.out()).containsPattern("\\s6\\s+6\\s+pods/surge_http_requests_per_second\\s");
    assertThat(r.out()).contains("back to min (2):");
    assertThat(r.out()).doesNotContain("back to min (2): never");
  }

  @Test
  void kedaOverlayRunsTheHpaKedaCreates() {
    CliRunner r =
        CliRunner.run(
            "simulate",
            "--hpa",
            overlay("overlays/keda"),
            "--cpu-per-request",
            "5ms",
            "--profile",
            PROFILE,
            "--tail",
            "8m");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("HPA (from ScaledObject surge) surge: min 2, max 10, with behavior")
        .contains("metrics:  external/s0-prometheus 50/pod (req/s offered), cpu 70% of 250m");
    // 5 ms a request: CPU binds (35 req/s per pod at 70 % of 250m) over the 50 req/s threshold
    List<String> drivers = drivers(r.out());
    assertThat(drivers).contains("cpu", "external/s0-prometheus");
    assertThat(r.out()).containsPattern("\\s9\\s+9\\s+cpu\\s"); // 300 / 35 → 9 at the plateau
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"base", "overlays/demo"})
  void theDefaultPathScalesOnCpuAlone(String dir) {
    CliRunner r =
        CliRunner.run(
            "simulate",
            "--hpa",
            overlay(dir),
            "--cpu-per-request",
            "20ms",
            "--rate",
            "40",
            "--duration",
            "5m",
            "--tail",
            "0s");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(drivers(r.out())).containsOnly("cpu");
  }

  @Test
  void planNamesTheBindingMetricOfTheKedaOverlay() throws Exception {
    CliRunner r =
        CliRunner.run(
            "plan",
            "--hpa",
            overlay("overlays/keda"),
            "--cpu-per-request",
            "2ms",
            "--replicas",
            "4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("external/s0-prometheus:  50.00 req/s per pod at target")
        .contains("cpu:                     87.50 req/s per pod at target")
        .contains("binding metric:           external/s0-prometheus")
        .contains("rate for 4 replicas:      200.00 req/s");
    assertThat(Files.exists(Path.of("..", "k8s", "overlays", "keda"))).isTrue();
  }
}
