package dev.surge.systest.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.surge.cluster.kube.ClusterExporter;
import dev.surge.cluster.kube.ClusterSnapshot;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.cluster.prometheus.AlertmanagerConfigs;
import dev.surge.cluster.prometheus.AlertmanagerProcess;
import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.cluster.prometheus.WebhookSink;
import dev.surge.systest.support.Http;
import dev.surge.testkit.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The process runners on their own: a real Prometheus scraping the fixture and alerting a real
 * Alertmanager.
 */
class StackRunnersIT {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void prometheusScrapesTheClusterSeriesEvaluatesRulesAndAlertmanagerRoutesBySeverity()
      throws Exception {
    ObjectNode amConfig =
        (ObjectNode)
            YAML.readTree(
                """
        route:
          receiver: surge-default
          group_by: [alertname]
          routes:
            - matchers: ['severity="page"']
              receiver: surge-page
            - matchers: ['severity="ticket"']
              receiver: surge-ticket
        receivers: [{name: surge-default}, {name: surge-page}, {name: surge-ticket}]
        """);
    String rules =
        """
        groups:
          - name: t
            rules:
              - record: fixture:desired_replicas:max
                expr: max(kube_horizontalpodautoscaler_status_desired_replicas)
              - alert: FixturePage
                expr: fixture:desired_replicas:max >= 1
                labels: {severity: page}
              - alert: FixtureTicket
                expr: kube_horizontalpodautoscaler_spec_max_replicas == 3
                for: 1s
                labels: {severity: ticket}
        """;
    try (WebhookSink hooks = WebhookSink.start();
        AlertmanagerProcess am =
            AlertmanagerProcess.start(
                Tools.require("prometheus-alertmanager", "prometheus-alertmanager"),
                null,
                AlertmanagerConfigs.testCopy(amConfig, hooks::urlFor));
        ClusterExporter fixture =
            ClusterExporter.start(
                () ->
                    new ClusterSnapshot(
                        "surge",
                        "fixture-node-1",
                        new ClusterSnapshot.Deployment("surge", "surge-5d8f7c9b4", 1),
                        Optional.of(
                            new ClusterSnapshot.Hpa(
                                "surge",
                                1,
                                3,
                                List.of(new ClusterSnapshot.MetricValue("cpu", "utilization", 70)),
                                List.of(),
                                1,
                                1,
                                Map.of())),
                        List.of(
                            new ClusterSnapshot.PodInfo(
                                "surge-5d8f7c9b4-abcde",
                                "uid",
                                "Running",
                                true,
                                new ClusterSnapshot.Container(
                                    "app",
                                    "surge-app",
                                    0.25,
                                    512L << 20,
                                    0,
                                    512L << 20,
                                    "running",
                                    "",
                                    0,
                                    "",
                                    1.0,
                                    1e8)))));
        PrometheusProcess prometheus =
            PrometheusProcess.builder()
                .binary(Tools.require("prometheus", "prometheus"))
                .scrapeConfig(
                    ScrapeJobs.plain(
                        "kube-state-metrics",
                        "127.0.0.1:" + fixture.kubeStateMetricsPort(),
                        "/metrics",
                        true,
                        "1s"))
                .scrapeConfig(
                    ScrapeJobs.plain(
                        "kubelet",
                        "127.0.0.1:" + fixture.cadvisorPort(),
                        ClusterExporter.CADVISOR_PATH,
                        true,
                        "1s"))
                .ruleFile(rules)
                .alertmanagerPort(am.port())
                .start()) {
      await("both fixture targets up")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(prometheus.targets())
                      .extracting(PrometheusProcess.Target::health)
                      .containsExactly("up", "up"));
      await("the recording rule")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(prometheus.query("fixture:desired_replicas:max"))
                      .singleElement()
                      .extracting(PrometheusProcess.Sample::value)
                      .isEqualTo("1"));
      assertThat(
              prometheus.query(
                  "container_cpu_usage_seconds_total{namespace=\"surge\", container!=\"\"}"))
          .hasSize(1);
      await("both alerts delivered to their receivers")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(hooks.deliveries())
                      .extracting(WebhookSink.Delivery::path, WebhookSink.Delivery::alertname)
                      .contains(
                          org.assertj.core.groups.Tuple.tuple("surge-page", "FixturePage"),
                          org.assertj.core.groups.Tuple.tuple("surge-ticket", "FixtureTicket")));
      assertThat(hooks.deliveries())
          .allSatisfy(d -> assertThat(d.payloadReceiver()).isEqualTo(d.path()));
      assertThat(hooks.errors()).isEmpty();
    }
  }

  @Test
  void alertmanagerSendsUnmatchedSeveritiesToTheDefaultReceiver() throws Exception {
    ObjectNode amConfig =
        (ObjectNode)
            YAML.readTree(
                """
        route:
          receiver: surge-default
          routes: [{matchers: ['severity="page"'], receiver: surge-page}]
        receivers: [{name: surge-default}, {name: surge-page}]
        """);
    try (WebhookSink hooks = WebhookSink.start();
        AlertmanagerProcess am =
            AlertmanagerProcess.start(
                Tools.require("prometheus-alertmanager", "prometheus-alertmanager"),
                null,
                AlertmanagerConfigs.testCopy(amConfig, hooks::urlFor))) {
      String alerts = "[{\"labels\":{\"alertname\":\"Posted\",\"severity\":\"info\"}}]";
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + am.port() + "/api/v2/alerts"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(alerts))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(hooks.deliveries())
                      .extracting(WebhookSink.Delivery::path)
                      .containsExactly("surge-default"));
      assertThat(am.alerts()).hasSize(1);
      assertThat(Http.get(am.port(), "/-/healthy").statusCode()).isEqualTo(200);
      assertThat(List.of(hooks.deliveries().get(0).alertname())).containsExactly("Posted");
    }
  }
}
