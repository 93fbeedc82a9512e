package dev.surge.cluster.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeJobsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) YAML.readTree(text);
  }

  private static ObjectNode service() throws Exception {
    return yaml(
        """
        kind: Service
        metadata: {name: surge, namespace: surge, labels: {app.kubernetes.io/name: surge}}
        spec: {ports: [{name: http, port: 8080}, {name: metrics, port: 8081}]}
        """);
  }

  private static ObjectNode serviceMonitor(String port) throws Exception {
    return yaml(
        """
        kind: ServiceMonitor
        metadata: {name: surge, namespace: surge}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: surge}}
          endpoints: [{port: %s, path: /metrics, interval: 15s}]
        """
            .formatted(port));
  }

  /** The replacement a relabel rule sets {@code label} to (null when none does). */
  private static String relabelled(JsonNode job, String label) {
    for (JsonNode r : job.path("relabel_configs")) {
      if (label.equals(r.path("target_label").asText())) {
        return r.path("replacement").asText();
      }
    }
    return null;
  }

  @Test
  void podMonitorJobLabelComesFromThePodLabelNamedByJobLabel() throws Exception {
    ObjectNode podMonitor =
        yaml(
            """
        kind: PodMonitor
        metadata: {name: surge-loadgen, namespace: surge}
        spec:
          jobLabel: app.kubernetes.io/name
          selector: {matchLabels: {app.kubernetes.io/name: surge-loadgen}}
          podMetricsEndpoints: [{port: metrics}]
        """);
    JsonNode job =
        ScrapeJobs.podMonitor(
            podMonitor,
            0,
            "127.0.0.1:9998",
            "surge-loadgen-0-abcde",
            "loadgen",
            Map.of("app.kubernetes.io/name", "surge-loadgen"),
            "1s");
    assertThat(relabelled(job, "job")).isEqualTo("surge-loadgen");
    assertThat(job.path("metrics_path").asText()).as("default path").isEqualTo("/metrics");
  }

  @Test
  void serviceMonitorJobIsNamedAfterTheServiceWithOperatorTargetLabels() throws Exception {
    JsonNode job =
        ScrapeJobs.serviceMonitor(
            serviceMonitor("metrics"),
            service(),
            0,
            "127.0.0.1:9999",
            "surge-abc-12345",
            "app",
            "1s");
    assertThat(job.path("job_name").asText()).isEqualTo("serviceMonitor/surge/surge/0");
    assertThat(relabelled(job, "job")).isEqualTo("surge");
    assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(job.path("scrape_interval").asText()).isEqualTo("1s");
    assertThat(relabelled(job, "namespace")).isEqualTo("surge");
    assertThat(relabelled(job, "pod")).isEqualTo("surge-abc-12345");
    assertThat(relabelled(job, "service")).isEqualTo("surge");
    assertThat(relabelled(job, "endpoint")).isEqualTo("metrics");
    assertThat(job.path("static_configs").path(0).path("targets").path(0).asText())
        .isEqualTo("127.0.0.1:9999");
  }

  @Test
  void serviceMonitorOnAPortTheServiceDoesNotNameFails() throws Exception {
    assertThatThrownBy(
            () ->
                ScrapeJobs.serviceMonitor(
                    serviceMonitor("prom"), service(), 0, "127.0.0.1:1", "p", "app", "1s"))
        .hasMessage("ServiceMonitor surge scrapes port 'prom', which Service surge does not name");
  }

  @Test
  void podMonitorJobIsNamespaceSlashName() throws Exception {
    ObjectNode podMonitor =
        yaml(
            """
        kind: PodMonitor
        metadata: {name: surge-loadgen, namespace: surge}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: surge-loadgen}}
          podMetricsEndpoints: [{port: metrics, path: /metrics}]
        """);
    JsonNode job =
        ScrapeJobs.podMonitor(
            podMonitor,
            0,
            "127.0.0.1:9998",
            "surge-loadgen-0-abcde",
            "loadgen",
            Map.of("app.kubernetes.io/name", "surge-loadgen"),
            "1s");
    assertThat(job.path("job_name").asText()).isEqualTo("podMonitor/surge/surge-loadgen/0");
    assertThat(relabelled(job, "job")).isEqualTo("surge/surge-loadgen");
    assertThat(relabelled(job, "pod")).isEqualTo("surge-loadgen-0-abcde");
    assertThatThrownBy(
            () ->
                ScrapeJobs.podMonitor(
                    podMonitor, 0, "127.0.0.1:1", "p", "c", Map.of("app", "x"), "1s"))
        .hasMessageContaining(
            "PodMonitor surge-loadgen selects app.kubernetes.io/name=surge-loadgen");
  }
}
