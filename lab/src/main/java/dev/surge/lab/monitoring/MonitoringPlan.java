package dev.surge.lab.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.common.Durations;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.hpa.MetricSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code --prometheus} starts, read from the manifests before anything starts: the Prometheus
 * binary, the ServiceMonitor and the Service it selects (their scrape job and target labels, as the
 * Prometheus Operator derives them), the rule groups of the PrometheusRule, the scrape interval
 * (the ServiceMonitor's; 5 s with {@code --fast}) and the app container's name and image, which the
 * kube-state-metrics and cAdvisor series carry.
 *
 * @param prometheus the {@code prometheus} executable
 * @param namespace the namespace of the objects
 * @param serviceMonitor the ServiceMonitor of the app's Service
 * @param service the Service it selects
 * @param rules the PrometheusRule's groups
 * @param scrapeInterval the interval of every job, e.g. {@code 15s}
 * @param container the app container's name
 * @param image the app container's image
 * @param adapterRules prometheus-adapter's custom rules (the shipped Helm values)
 * @param kedaQueries the ScaledObject's prometheus triggers by External metric name
 */
public record MonitoringPlan(
    Path prometheus,
    String namespace,
    ObjectNode serviceMonitor,
    ObjectNode service,
    RuleGroups rules,
    String scrapeInterval,
    String container,
    String image,
    List<AdapterRule> adapterRules,
    Map<String, KedaQuery> kedaQueries) {
  public MonitoringPlan {
    adapterRules = List.copyOf(adapterRules);
    kedaQueries = Map.copyOf(kedaQueries);
  }

  /**
   * Reads the plan from the rendered manifests.
   *
   * @param prometheus the binary
   * @param objects the rendered manifests
   * @param hpa the HPA the lab runs
   * @param fast whether {@code --fast} shortens the scrape interval to 5 s
   * @param adapterRules prometheus-adapter's custom rules
   * @throws IllegalArgumentException naming what the manifests lack
   */
  public static MonitoringPlan from(
      Path prometheus,
      List<ObjectNode> objects,
      HpaSpec hpa,
      boolean fast,
      List<AdapterRule> adapterRules) {
    String namespace = hpa.namespace().isEmpty() ? "default" : hpa.namespace();
    ObjectNode deployment =
        ManifestDocuments.find(objects, "Deployment", hpa.targetName())
            .orElseThrow(() -> new IllegalArgumentException("no Deployment " + hpa.targetName()));
    JsonNode app = deployment.path("spec").path("template").path("spec").path("containers").path(0);
    List<ObjectNode> monitors = ManifestDocuments.ofKind(objects, "ServiceMonitor");
    if (monitors.isEmpty()) {
      throw new IllegalArgumentException(
          "--prometheus needs the ServiceMonitor of the app's Service; the manifests have none");
    }
    ObjectNode serviceMonitor = monitors.get(0);
    ObjectNode service =
        ManifestDocuments.ofKind(objects, "Service").stream()
            .filter(s -> ManifestDocuments.name(s).equals(hpa.targetName()))
            .findFirst()
            .or(() -> ManifestDocuments.ofKind(objects, "Service").stream().findFirst())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--prometheus needs the app's Service; the manifests have none"));
    String interval = fast ? "5s" : ScrapeJobs.interval(serviceMonitor, 0);
    MonitoringPlan plan =
        new MonitoringPlan(
            prometheus,
            namespace,
            withNamespace(serviceMonitor, namespace),
            withNamespace(service, namespace),
            RuleGroups.fromObjects(objects),
            interval,
            app.path("name").asText("app"),
            app.path("image").asText(""),
            adapterRules,
            hpa.keda()
                .flatMap(k -> ManifestDocuments.find(objects, "ScaledObject", k.scaledObject()))
                .map(KedaQuery::of)
                .orElse(Map.of()));
    // Derive once now, so that a ServiceMonitor that does not fit its Service fails before start.
    var unused = plan.podJob("127.0.0.1:1", "check");
    return plan;
  }

  /** The Operator's scrape job for one pod's metrics port (static target, fixed labels). */
  ObjectNode podJob(String address, String pod) {
    return ScrapeJobs.serviceMonitor(
        serviceMonitor, service, 0, address, pod, container, scrapeInterval);
  }

  /**
   * The HPA's metrics that come through Prometheus (Pods, Object, External), which the lab can
   * serve only through an adapter rule or a KEDA trigger.
   */
  public static List<MetricSpec> customMetrics(HpaSpec hpa) {
    return hpa.metrics().stream().filter(m -> !m.isResource()).toList();
  }

  /** The scrape interval in whole seconds. */
  int scrapeIntervalSeconds() {
    return (int) Math.max(1, Durations.parseSeconds(scrapeInterval));
  }

  private static ObjectNode withNamespace(ObjectNode object, String namespace) {
    ObjectNode copy = object.deepCopy();
    if (copy.path("metadata").path("namespace").asText("").isEmpty()) {
      ((ObjectNode) copy.path("metadata")).put("namespace", namespace);
    }
    return copy;
  }
}
