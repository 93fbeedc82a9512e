package dev.surge.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClusterExporterTest {
  private static final long MIB = 1024 * 1024;

  static ClusterSnapshot.Container container(String state, int restarts, String lastReason) {
    return new ClusterSnapshot.Container(
        "app",
        "surge-app:lab",
        0.25,
        256 * MIB,
        0,
        512 * MIB,
        state,
        state.equals("waiting") ? "CrashLoopBackOff" : "",
        restarts,
        lastReason,
        12.5,
        200 * MIB);
  }

  static ClusterSnapshot snapshot(List<ClusterSnapshot.PodInfo> pods, int desired) {
    return new ClusterSnapshot(
        "surge",
        "lab",
        new ClusterSnapshot.Deployment("surge", "surge-5d8f7c9b4", pods.size()),
        Optional.of(
            new ClusterSnapshot.Hpa(
                "surge",
                1,
                3,
                List.of(
                    new ClusterSnapshot.MetricValue("cpu", "utilization", 70),
                    new ClusterSnapshot.MetricValue(
                        "surge_http_requests_per_second", "average", 50)),
                List.of(new ClusterSnapshot.MetricValue("cpu", "utilization", 123)),
                pods.size(),
                desired,
                Map.of("AbleToScale", true, "ScalingActive", true, "ScalingLimited", false))),
        pods);
  }

  static String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void servesKubeStateMetricsSeriesUnderTheirRealNamesAndLabels() throws Exception {
    var pods =
        List.of(
            new ClusterSnapshot.PodInfo(
                "surge-5d8f7c9b4-abcde", "uid-1", "Running", true, container("running", 0, "")),
            new ClusterSnapshot.PodInfo(
                "surge-5d8f7c9b4-fghij",
                "uid-2",
                "Running",
                false,
                container("waiting", 3, "OOMKilled")));
    try (ClusterExporter cluster = ClusterExporter.start(() -> snapshot(pods, 3))) {
      String body = get(cluster.kubeStateMetricsPort(), "/metrics");
      assertThat(value(body, "kube_horizontalpodautoscaler_status_desired_replicas", Map.of()))
          .hasValue(3.0);
      assertThat(
              value(
                  body,
                  "kube_horizontalpodautoscaler_spec_target_metric",
                  Map.of("metric_name", "surge_http_requests_per_second")))
          .hasValue(50.0);
      assertThat(
              value(
                  body,
                  "kube_horizontalpodautoscaler_status_target_metric",
                  Map.of("metric_name", "cpu", "metric_target_type", "utilization")))
          .hasValue(123.0);
      assertThat(
              value(
                  body,
                  "kube_horizontalpodautoscaler_status_condition",
                  Map.of("condition", "ScalingLimited", "status", "false")))
          .hasValue(1.0);
      assertThat(value(body, "kube_deployment_status_replicas_ready", Map.of())).hasValue(1.0);
      assertThat(
              value(
                  body,
                  "kube_pod_container_status_restarts_total",
                  Map.of("pod", "surge-5d8f7c9b4-fghij", "container", "app")))
          .hasValue(3.0);
      assertThat(
              value(
                  body,
                  "kube_pod_container_status_waiting_reason",
                  Map.of("pod", "surge-5d8f7c9b4-fghij", "reason", "CrashLoopBackOff")))
          .hasValue(1.0);
      assertThat(
              value(
                  body,
                  "kube_pod_container_status_last_terminated_reason",
                  Map.of("reason", "OOMKilled")))
          .hasValue(1.0);
      assertThat(
              value(
                  body,
                  "kube_pod_container_resource_requests",
                  Map.of("pod", "surge-5d8f7c9b4-abcde", "resource", "memory", "unit", "byte")))
          .hasValue((double) (256 * MIB));
      assertThat(value(body, "kube_pod_container_resource_limits", Map.of("resource", "cpu")))
          .as("no CPU limit declared")
          .isEmpty();
      assertThat(
              value(
                  body,
                  "kube_pod_status_ready",
                  Map.of("pod", "surge-5d8f7c9b4-fghij", "condition", "false")))
          .hasValue(1.0);
    }
  }

  @Test
  void servesCadvisorSeriesPerRunningContainerAndForThePodCgroup() throws Exception {
    var pods =
        List.of(
            new ClusterSnapshot.PodInfo(
                "surge-5d8f7c9b4-abcde", "uid-1", "Running", true, container("running", 0, "")),
            new ClusterSnapshot.PodInfo(
                "surge-5d8f7c9b4-fghij", "uid-2", "Running", false, container("waiting", 1, "")));
    try (ClusterExporter cluster = ClusterExporter.start(() -> snapshot(pods, 2))) {
      String body = get(cluster.cadvisorPort(), ClusterExporter.CADVISOR_PATH);
      assertThat(
              value(
                  body,
                  "container_cpu_usage_seconds_total",
                  Map.of("pod", "surge-5d8f7c9b4-abcde", "container", "app")))
          .hasValue(12.5);
      assertThat(
              value(
                  body,
                  "container_memory_working_set_bytes",
                  Map.of("pod", "surge-5d8f7c9b4-abcde", "container", "")))
          .as("the pod-level cgroup series")
          .hasValue((double) (200 * MIB));
      assertThat(body).doesNotContain("surge-5d8f7c9b4-fghij").as("no cgroup while waiting");
    }
  }

  @Test
  void escapesLabelValuesAndReadsEachScrapeAfresh() throws Exception {
    AtomicReference<String> image = new AtomicReference<>("a\"b\\c");
    try (ClusterExporter cluster =
        ClusterExporter.start(
            () ->
                snapshot(
                    List.of(
                        new ClusterSnapshot.PodInfo(
                            "p",
                            "u",
                            "Running",
                            true,
                            new ClusterSnapshot.Container(
                                "app", image.get(), 1, 0, 0, 0, "running", "", 0, "", 1, 1))),
                    1))) {
      assertThat(get(cluster.kubeStateMetricsPort(), "/metrics")).contains("image=\"a\\\"b\\\\c\"");
    }
  }

  /** The value of the first sample of {@code name} whose labels include {@code labels}. */
  static Optional<Double> value(String exposition, String name, Map<String, String> labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(exposition);
    while (m.find()) {
      String labelText = m.group(2) == null ? "" : m.group(2);
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        return Optional.of(Double.parseDouble(m.group(3)));
      }
    }
    return Optional.empty();
  }
}
