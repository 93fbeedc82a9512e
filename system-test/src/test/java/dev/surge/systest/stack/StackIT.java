package dev.surge.systest.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.cluster.prometheus.WebhookSink;
import dev.surge.systest.dashboards.Dashboard;
import dev.surge.systest.dashboards.DashboardQueries;
import dev.surge.systest.dashboards.PanelQuery;
import dev.surge.systest.support.Http;
import dev.surge.systest.support.RepoPaths;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The system test of the observability path: the real app under real load from the real load
 * generator, scraped by a real Prometheus configured from the manifests, with the PrometheusRule's
 * rules (test copy: every {@code for:} divided by 60 and 1 s evaluation; expressions and windows as
 * shipped) and a real Alertmanager with the repository's routing. Proves, in order: the scrape jobs
 * the manifests describe work; injected faults fire the matching alerts; Alertmanager routes them
 * by severity; every recording rule produces samples; every panel query of every dashboard returns
 * data; every dashboard variable finds its values; alerts without a cause stay quiet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackIT {
  /**
   * The fault that the SLO, error-rate and latency alerts must catch: half the /api requests fail,
   * all are slow.
   */
  private static final String FAULTS = "{\"errorRate\":0.5,\"addedLatencyMillis\":700}";

  /** Alerts the fault must fire (docs/CONTRACT.md). */
  private static final List<String> FAULT_ALERTS =
      List.of(
          "SurgeErrorBudgetBurnFast",
          "SurgeErrorBudgetBurnSlow",
          "SurgeLatencyBudgetBurnFast",
          "SurgeLatencyBudgetBurnSlow",
          "SurgeHighErrorRate",
          "SurgeHighLatencyP95");

  /**
   * Alerts nothing in this stack gives cause for (all targets up, pods not restarting, HPA below
   * max and able).
   */
  private static final List<String> QUIET_ALERTS =
      List.of(
          "SurgeTargetDown",
          "SurgeMetricsAbsent",
          "SurgePodCrashLooping",
          "SurgeHPAMaxedOut",
          "SurgeHPAUnableToScale");

  private SurgeStack stack;

  @BeforeAll
  void startStack() {
    // the full overlay: the default path's objects plus the optional requests/s HPA, so that its
    // target line on the autoscaling dashboard has data too
    stack = SurgeStack.builder().overlay("k8s/overlays/full").start();
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void prometheusScrapesEveryTargetTheManifestsDescribe() {
    await("every target up")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(stack.prometheus().targets())
                    .as(stack.prometheus().configText())
                    .hasSize(4)
                    .allSatisfy(
                        t ->
                            assertThat(t.health())
                                .as(t.scrapeUrl() + " " + t.lastError())
                                .isEqualTo("up")));
    // The contract's job label for the app and the labels the dashboards select on.
    assertThat(
            stack
                .prometheus()
                .query(
                    "up{job=\"surge\", namespace=\""
                        + stack.namespace()
                        + "\", pod=\""
                        + stack.appPod()
                        + "\"} == 1"))
        .hasSize(1);
    assertThat(
            stack
                .prometheus()
                .query("up{job=\"surge-loadgen\", pod=\"" + stack.loadgenPod() + "\"} == 1"))
        .hasSize(1);
    await("the load reaches the app")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        stack
                            .prometheus()
                            .query(
                                "sum(rate(surge_http_requests_total{job=\"surge\", route=\"/api/work\", status=\"200\"}[15s])) > 5"))
                    .hasSize(1));
  }

  @Test
  @Order(2)
  void injectedErrorsAndLatencyFireTheMatchingAlerts() {
    HttpResponse<String> put =
        Http.putJson(
            URI.create(stack.app().baseUri() + "/admin/faults"), FAULTS, stack.adminToken());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    await("alerts firing: " + FAULT_ALERTS)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(firing())
                    .as(stack.prometheus().alerts().toString())
                    .containsAll(FAULT_ALERTS));
  }

  @Test
  @Order(3)
  void alertmanagerDeliversPageAlertsToSurgePageAndTicketAlertsToSurgeTicket() {
    await("each fault alert delivered to its severity's receiver or inhibited by a page")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Set<String> inhibited = inhibitedInAlertmanager();
              for (String alert : FAULT_ALERTS) {
                String receiver = "surge-" + stack.rules().alertLabel(alert, "severity");
                assertThat(
                        inhibited.contains(alert)
                            || stack.hooks().deliveries().stream()
                                .anyMatch(
                                    d -> d.alertname().equals(alert) && d.path().equals(receiver)))
                    .as(
                        "%s delivered to %s (deliveries %s, inhibited %s)",
                        alert, receiver, stack.hooks().deliveries(), inhibited)
                    .isTrue();
              }
            });
    List<WebhookSink.Delivery> deliveries = stack.hooks().deliveries();
    assertThat(deliveries)
        .extracting(WebhookSink.Delivery::path)
        .contains("surge-page", "surge-ticket");
    assertThat(deliveries)
        .allSatisfy(
            d -> {
              assertThat(d.path())
                  .as("receiver of %s", d)
                  .isEqualTo("surge-" + d.labels().get("severity"));
              assertThat(d.payloadReceiver()).as("payload receiver of %s", d).isEqualTo(d.path());
            });
    assertThat(stack.hooks().errors()).isEmpty();
  }

  @Test
  @Order(4)
  void everyRecordingRuleProducesSamples() {
    List<String> records = stack.rules().recordNames();
    assertThat(records)
        .isNotEmpty()
        .allMatch(r -> r.startsWith("surge:"), "named surge:<what>:<window>");
    await("samples of every recording rule")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> empty =
                  records.stream().filter(r -> stack.prometheus().query(r).isEmpty()).toList();
              assertThat(empty).as("recording rules without samples").isEmpty();
            });
  }

  @Test
  @Order(5)
  void everyPanelQueryOfEveryDashboardReturnsData() {
    List<PanelQuery> queries = new ArrayList<>();
    for (Dashboard d : Dashboard.loadAll(RepoPaths.resolve("dashboards"))) {
      queries.addAll(DashboardQueries.of(d, values()));
    }
    assertThat(queries).hasSizeGreaterThan(60);
    await("data for every panel query")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              List<String> noData = new ArrayList<>();
              for (PanelQuery q : queries) {
                List<PrometheusProcess.Sample> samples = stack.prometheus().query(q.expr());
                if (samples.stream().noneMatch(s -> isFinite(s.value()))) {
                  noData.add(q.where() + ": " + q.expr() + " -> " + samples);
                }
              }
              assertThat(noData).as("panel queries without a finite sample").isEmpty();
            });
  }

  @Test
  @Order(6)
  void everyDashboardVariableFindsItsValues() {
    for (Dashboard d : Dashboard.loadAll(RepoPaths.resolve("dashboards"))) {
      for (DashboardQueries.LabelValues v : DashboardQueries.variableQueries(d, values())) {
        List<String> found = stack.prometheus().labelValues(v.label(), v.selector());
        String expected =
            switch (v.variable()) {
              case "namespace" -> stack.namespace();
              case "pod" -> d.uid().equals("surge-loadgen") ? stack.loadgenPod() : stack.appPod();
              case "hpa" -> "surge";
              default ->
                  throw new AssertionError(
                      d.uid() + ": no expectation for variable " + v.variable());
            };
        assertThat(found)
            .as(
                "%s variable %s: label_values(%s, %s)",
                d.uid(), v.variable(), v.selector(), v.label())
            .contains(expected);
      }
    }
  }

  @Test
  @Order(7)
  void alertsWithoutACauseStayQuiet() {
    List<String> active =
        stack.prometheus().alerts().stream().map(PrometheusProcess.Alert::name).toList();
    assertThat(active).doesNotContainAnyElementsOf(QUIET_ALERTS);
    assertThat(stack.rules().alertNames()).containsAll(QUIET_ALERTS).containsAll(FAULT_ALERTS);
  }

  /**
   * Values for the query variables and Grafana's built-ins, fitting a test that has a minute or two
   * of data: rate windows of 5m span the whole run, so a panel of rare events (GC pauses of an idle
   * collector) has its events.
   */
  private Map<String, String> values() {
    return Map.of(
        "namespace", stack.namespace(),
        "pod", ".*",
        "hpa", "surge",
        "__rate_interval", "5m",
        "__interval", "15s",
        "__range", "5m",
        "__range_s", "300");
  }

  private Set<String> firing() {
    return stack.prometheus().alerts().stream()
        .filter(a -> a.state().equals("firing"))
        .map(PrometheusProcess.Alert::name)
        .collect(Collectors.toSet());
  }

  /**
   * Alerts Alertmanager holds back because an inhibit rule's source (a page for the same SLO) is
   * active.
   */
  private Set<String> inhibitedInAlertmanager() {
    Set<String> names = new java.util.HashSet<>();
    for (JsonNode a : stack.alertmanager().alerts()) {
      if (!a.path("status").path("inhibitedBy").isEmpty()) {
        names.add(a.path("labels").path("alertname").asText());
      }
    }
    return names;
  }

  private static boolean isFinite(String value) {
    try {
      return Double.isFinite(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
