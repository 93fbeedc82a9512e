package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.AdminTokenFile;
import dev.surge.systest.support.Http;
import dev.surge.systest.support.Kustomize;
import dev.surge.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests against the real app jar, started with the Deployment's own args and env (ports
 * replaced by 0): the probes and the scrape endpoint answer where the manifests say, and every
 * metric and label value that the rules, the prometheus-adapter rule and the KEDA trigger select
 * exists in the app's real /metrics output.
 */
class K8sAppIT {
  /** Series that come from kube-state-metrics or Prometheus itself, not from the app. */
  static final List<String> EXTERNAL_METRICS =
      List.of(
          "up",
          "kube_pod_container_status_restarts_total",
          "kube_horizontalpodautoscaler_status_current_replicas",
          "kube_horizontalpodautoscaler_spec_max_replicas",
          "kube_horizontalpodautoscaler_status_condition",
          "kube_pod_container_resource_requests");

  /** Labels Prometheus attaches to a scraped target (ServiceMonitor), not the app. */
  static final List<String> TARGET_LABELS =
      List.of("job", "namespace", "pod", "instance", "service", "endpoint", "container");

  static AppProcess app;
  static String adminToken;
  static ObjectNode deployment;
  static Map<Integer, Integer> declaredToActualPort;
  static AppMetrics metrics;

  @BeforeAll
  static void startTheAppAsTheDeploymentRunsIt() {
    deployment = Kustomize.one(Manifests.demo(), "Deployment", "surge");
    JsonNode container = Manifests.container(deployment, "app");
    List<String> args = K8sWiringIT.args(container);
    List<String> local = new ArrayList<>(args);
    Map<String, Integer> declared = new HashMap<>();
    for (String flag : List.of("--port", "--metrics-port")) {
      int i = local.indexOf(flag);
      assertThat(i).as("%s in the Deployment's args %s", flag, args).isNotNegative();
      declared.put(flag, Integer.parseInt(local.get(i + 1)));
      local.set(i + 1, "0"); // bind ephemeral ports; the start-up line reports them
    }
    Map<String, String> env = new HashMap<>(K8sWiringIT.env(container));
    // The demo overlay mounts the admin token from a Secret: a local file stands in for it.
    adminToken = AdminTokenFile.localize(deployment, container, env);
    app = AppProcess.builder().args(local).env(env).start();
    declaredToActualPort =
        Map.of(
            declared.get("--port"), app.port(), declared.get("--metrics-port"), app.metricsPort());

    // a little traffic: successes and injected 5xx on /api, and a non-API route
    for (int i = 0; i < 5; i++) {
      assertThat(Http.get(app.port(), "/api/work?cpuMillis=1").statusCode()).isEqualTo(200);
    }
    URI faults = URI.create("http://127.0.0.1:" + app.port() + "/admin/faults");
    assertThat(Http.putJson(faults, "{\"errorRate\":1.0}", null).statusCode())
        .as("without the token")
        .isEqualTo(adminToken == null ? 200 : 401);
    assertThat(Http.putJson(faults, "{\"errorRate\":1.0}", adminToken).statusCode()).isEqualTo(200);
    assertThat(Http.get(app.port(), "/api/work?cpuMillis=1").statusCode()).isEqualTo(500);
    assertThat(Http.putJson(faults, "{\"errorRate\":0.0}", adminToken).statusCode()).isEqualTo(200);
    Http.get(app.port(), "/status/503");
    metrics = AppMetrics.parse(Http.get(app.metricsUri()).body());
  }

  @AfterAll
  static void stopLikeTheKubeletDoes() {
    if (app != null) {
      // SIGTERM: the app drains (--drain-delay) and must exit 0 within the shutdown timeout
      assertThat(app.stop()).as(app.output()).isZero();
    }
  }

  @Test
  void everyProbeAnswers200OnTheNamedPortAndPath() {
    JsonNode container = Manifests.container(deployment, "app");
    Map<String, Integer> ports = K8sWiringIT.containerPorts(container);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      int declared = ports.get(get.path("port").asText());
      int actual = declaredToActualPort.get(declared);
      HttpResponse<String> r = Http.get(actual, get.path("path").asText());
      assertThat(r.statusCode())
          .as("%s GET %s on port %s", probe, get.path("path").asText(), get.path("port").asText())
          .isEqualTo(200);
    }
  }

  @Test
  void theServiceMonitorsEndpointServesPrometheusMetricsAndTheHttpPortDoesNot() {
    JsonNode container = Manifests.container(deployment, "app");
    Map<String, Integer> ports = K8sWiringIT.containerPorts(container);
    JsonNode service = Kustomize.one(Manifests.demo(), "Service", "surge");
    JsonNode endpoint =
        Kustomize.one(Manifests.demo(), "ServiceMonitor", "surge")
            .path("spec")
            .path("endpoints")
            .get(0);
    String targetPort = null;
    for (JsonNode p : service.path("spec").path("ports")) {
      if (p.path("name").asText().equals(endpoint.path("port").asText())) {
        targetPort = p.path("targetPort").asText();
      }
    }
    int actual = declaredToActualPort.get(ports.get(targetPort));
    HttpResponse<String> r = Http.get(actual, endpoint.path("path").asText());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("# TYPE surge_http_requests_total counter", "surge_app_info");
    assertThat(Http.get(declaredToActualPort.get(ports.get("http")), "/metrics").statusCode())
        .isEqualTo(404);
  }

  @Test
  void everyMetricTheRulesReadExistsInTheAppOrIsAnAllowedExternalSeries() {
    List<String> recorded = Manifests.rules().recordNames();
    Map<String, List<String>> missing = new LinkedHashMap<>();
    for (JsonNode rule : Manifests.rules().rules()) {
      String id = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
      for (String name : PromqlNames.metricNames(rule.path("expr").asText())) {
        boolean known =
            recorded.contains(name) || EXTERNAL_METRICS.contains(name) || metrics.has(name);
        if (!known) {
          missing.computeIfAbsent(id, k -> new ArrayList<>()).add(name);
        }
      }
    }
    assertThat(missing).as("metrics read by rules that the app does not expose").isEmpty();
  }

  @Test
  void everyAppSelectorInTheRulesMatchesRealSeriesLabelValuesIncluded() {
    List<String> checked = new ArrayList<>();
    for (JsonNode rule : Manifests.rules().rules()) {
      for (PromqlNames.Selector s : PromqlNames.selectors(rule.path("expr").asText())) {
        if (s.metric().startsWith("surge_")) {
          assertThat(metrics.anyMatches(s, TARGET_LABELS))
              .as("%s in %s matches a real series", s, rule)
              .isTrue();
          checked.add(s.metric());
        }
      }
    }
    // the SLIs: requests, 5xx requests, the le="0.2" bucket and the count
    assertThat(checked)
        .contains(
            "surge_http_requests_total",
            "surge_http_request_duration_seconds_bucket",
            "surge_http_request_duration_seconds_count");
  }

  @Test
  void thePrometheusAdapterRuleAndTheKedaQuerySelectRealSeries() {
    JsonNode rule =
        Kustomize.readYaml(
                Manifests.k8s()
                    .resolve("components/custom-metrics-hpa/prometheus-adapter-values.yaml"))
            .path("rules")
            .path("custom")
            .get(0);
    String series = rule.path("seriesQuery").asText();
    List<PromqlNames.Selector> seriesSelectors = PromqlNames.selectors(series);
    assertThat(seriesSelectors).hasSize(1);
    assertThat(metrics.anyMatches(seriesSelectors.get(0), TARGET_LABELS)).as(series).isTrue();
    assertThat(seriesSelectors.get(0).metric()).matches(rule.path("name").path("matches").asText());
    // the adapter substitutes the series and its label matchers into the query
    String query =
        rule.path("metricsQuery")
            .asText()
            .replace("<<.Series>>", seriesSelectors.get(0).metric())
            .replace("<<.LabelMatchers>>,", "")
            .replace("<<.GroupBy>>", "pod");
    for (PromqlNames.Selector s : PromqlNames.selectors(query)) {
      assertThat(metrics.anyMatches(s, TARGET_LABELS)).as(query).isTrue();
    }
    String keda =
        Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
            .path("spec")
            .path("triggers")
            .get(0)
            .path("metadata")
            .path("query")
            .asText();
    assertThat(PromqlNames.metricNames(keda))
        .allSatisfy(n -> assertThat(metrics.has(n)).as(n).isTrue())
        .isNotEmpty();
    for (PromqlNames.Selector s : PromqlNames.selectors(keda)) {
      assertThat(metrics.anyMatches(s, TARGET_LABELS)).as(keda).isTrue();
    }
  }
}
