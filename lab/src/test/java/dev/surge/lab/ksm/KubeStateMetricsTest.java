package dev.surge.lab.ksm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubeStateMetricsTest {
  @Test
  void servesTheSeriesTheDashboardsAndRunPrometheusRead() {
    ClusterState s =
        new ClusterState(
            "surge",
            "surge",
            "surge",
            2,
            8,
            70,
            3,
            4,
            91,
            List.of(
                new ClusterState.PodInfo("surge-abc-11111", "Running", true, 0.25, 536870912),
                new ClusterState.PodInfo("surge-abc-22222", "Running", true, 0.25, 536870912),
                new ClusterState.PodInfo("surge-abc-33333", "Pending", false, 0.25, 536870912)));
    String text = KubeStateMetrics.render(s);
    assertThat(text)
        .contains(
            "kube_horizontalpodautoscaler_status_current_replicas{namespace=\"surge\",horizontalpodautoscaler=\"surge\"} 3\n")
        .contains(
            "kube_horizontalpodautoscaler_status_desired_replicas{namespace=\"surge\",horizontalpodautoscaler=\"surge\"} 4\n")
        .contains(
            "kube_horizontalpodautoscaler_spec_max_replicas{namespace=\"surge\",horizontalpodautoscaler=\"surge\"} 8\n")
        .contains(
            "kube_deployment_status_replicas_ready{namespace=\"surge\",deployment=\"surge\"} 2\n")
        .contains(
            "kube_pod_container_resource_requests{namespace=\"surge\",pod=\"surge-abc-33333\",container=\"app\",node=\"lab\",resource=\"cpu\",unit=\"core\"} 0.25\n")
        .contains(
            "kube_pod_status_phase{namespace=\"surge\",pod=\"surge-abc-33333\",phase=\"Pending\"} 1\n");
    // Each family's samples follow its own TYPE line, once.
    int type = text.indexOf("# TYPE kube_pod_status_ready gauge\n");
    int next = text.indexOf("# TYPE", type + 1);
    assertThat(text.substring(type, next).split("\n")).hasSize(1 + 3 * 3);
    assertThat(text.split("# TYPE kube_pod_info gauge", -1)).hasSize(2);
  }
}
