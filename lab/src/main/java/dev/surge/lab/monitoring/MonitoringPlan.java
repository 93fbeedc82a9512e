package dev.surge.lab.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.cluster.operator.RuleTiming;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.common.Durations;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.hpa.MetricSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param ruleDivisor the rules' clock divisor ({@link RuleTiming#compressed}): 12 with {@code
 *     --fast}, 1 (as shipped) otherwise
 * @param alertmanager the Alertmanager to start, empty without {@code --alertmanager}
 * @param loadgen the load generator's PodMonitor job (a static job for its pod), empty when the
 *     manifests have no PodMonitor and Job for it
 * @param queryChanges how {@code --fast} changed the adapter rules' and the KEDA triggers' queries
 *     (their range windows divided by {@link #FAST_QUERY_DIVISOR}), one line each; empty otherwise
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
    Map<String, KedaQuery> kedaQueries,
    int ruleDivisor,
    Optional<AlertmanagerPlan> alertmanager,
    Optional<LoadgenPlan> loadgen,
    List<String> queryChanges) {

  /**
   * The load generator as the shipped PodMonitor scrapes it.
   *
   * @param podMonitor the PodMonitor
   * @param podLabels the Job's pod template labels
   * @param container the Job's container name
   */
  public record LoadgenPlan(
      ObjectNode podMonitor, Map<String, String> podLabels, String container) {}

  /** The load generator's pod name in the lab: an Indexed Job's first pod. */
  static final String LOADGEN_POD = "surge-loadgen-0-lab00";

  /** The PodMonitor's job for the lab's load engine on {@code port}. */
  Optional<ObjectNode> loadgenJob(int port) {
    return loadgen.map(
        l ->
            ScrapeJobs.podMonitor(
                l.podMonitor(),
                0,
                "127.0.0.1:" + port,
                LOADGEN_POD,
                l.container(),
                l.podLabels(),
                scrapeInterval));
  }

  /**
   * What {@code --alertmanager} starts.
   *
   * @param binary the {@code prometheus-alertmanager} executable
   * @param config the shipped {@code alertmanager.yml}
   * @param shortTimers whether its grouping timers are shortened ({@code --fast})
   */
  public record AlertmanagerPlan(Path binary, ObjectNode config, boolean shortTimers) {}

  public MonitoringPlan {
    adapterRules = List.copyOf(adapterRules);
    kedaQueries = Map.copyOf(kedaQueries);
    queryChanges = List.copyOf(queryChanges);
  }

  /**
   * With {@code --fast} the adapter rules' and the KEDA triggers' range windows are divided by 3:
   * {@code [1m]} becomes {@code [20s]}, four scrape intervals of 5 s, as the sync period and the
   * metric window go from 15 s to 5 s. Without it a trailing 1-minute rate holds a scale-out back
   * by most of a minute while every other clock is short (docs/LAB.md).
   */
  public static final int FAST_QUERY_DIVISOR = 3;

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
      List<AdapterRule> adapterRules,
      Optional<AlertmanagerPlan> alertmanager) {
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
    Map<String, KedaQuery> keda =
        hpa.keda()
            .flatMap(k -> ManifestDocuments.find(objects, "ScaledObject", k.scaledObject()))
            .map(KedaQuery::of)
            .orElse(Map.of());
    List<String> changes = new java.util.ArrayList<>();
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
            fast ? fastRules(adapterRules, changes) : adapterRules,
            fast ? fastQueries(keda, changes) : keda,
            fast ? FAST_RULE_DIVISOR : 1,
            alertmanager,
            loadgen(objects, namespace),
            changes);
    // Derive once now, so that a ServiceMonitor that does not fit its Service fails before start.
    var unused = plan.podJob("127.0.0.1:1", "check");
    return plan;
  }

  private static List<AdapterRule> fastRules(List<AdapterRule> rules, List<String> changes) {
    List<AdapterRule> out = new java.util.ArrayList<>();
    for (AdapterRule r : rules) {
      String q = RuleTiming.compressRanges(r.metricsQuery(), FAST_QUERY_DIVISOR);
      if (!q.equals(r.metricsQuery())) {
        changes.add(windows("adapter " + r.metricName(), r.metricsQuery(), q));
      }
      out.add(new AdapterRule(r.series(), r.metricName(), r.namespaceLabel(), r.podLabel(), q));
    }
    return out;
  }

  private static Map<String, KedaQuery> fastQueries(
      Map<String, KedaQuery> queries, List<String> changes) {
    Map<String, KedaQuery> out = new java.util.LinkedHashMap<>();
    for (KedaQuery k : queries.values()) {
      String q = RuleTiming.compressRanges(k.query(), FAST_QUERY_DIVISOR);
      if (!q.equals(k.query())) {
        changes.add(windows("KEDA " + k.metricName(), k.query(), q));
      }
      out.put(k.metricName(), new KedaQuery(k.metricName(), q, k.ignoreNullValues()));
    }
    return out;
  }

  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile("\\[[0-9a-z]+\\]");

  /** {@code adapter surge_http_requests_per_second [1m] -> [20s]}. */
  private static String windows(String what, String from, String to) {
    java.util.regex.Matcher a = RANGE.matcher(from);
    java.util.regex.Matcher b = RANGE.matcher(to);
    List<String> parts = new java.util.ArrayList<>();
    while (a.find() && b.find()) {
      if (!a.group().equals(b.group())) {
        parts.add(a.group() + " -> " + b.group());
      }
    }
    return String.format("%-18s %s", what, String.join(", ", parts.stream().distinct().toList()));
  }

  /** The rules' clock divisor with {@code --fast}: 5m windows become 25 s, 1h becomes 5 min. */
  public static final int FAST_RULE_DIVISOR = 12;

  /** The rule file Prometheus loads: as shipped, or on the {@code --fast} clock. */
  String ruleFile() {
    return ruleDivisor == 1
        ? rules.asShipped()
        : RuleTiming.compressed(rules, ruleDivisor, scrapeInterval);
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

  private static Optional<LoadgenPlan> loadgen(List<ObjectNode> objects, String namespace) {
    for (ObjectNode pm : ManifestDocuments.ofKind(objects, "PodMonitor")) {
      for (ObjectNode job : ManifestDocuments.ofKind(objects, "Job")) {
        JsonNode template = job.path("spec").path("template");
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        template
            .path("metadata")
            .path("labels")
            .properties()
            .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        boolean selected =
            pm.path("spec").path("selector").path("matchLabels").properties().stream()
                .allMatch(e -> e.getValue().asText().equals(labels.get(e.getKey())));
        if (selected) {
          return Optional.of(
              new LoadgenPlan(
                  withNamespace(pm, namespace),
                  labels,
                  template.path("spec").path("containers").path(0).path("name").asText("loadgen")));
        }
      }
    }
    return Optional.empty();
  }

  private static ObjectNode withNamespace(ObjectNode object, String namespace) {
    ObjectNode copy = object.deepCopy();
    if (copy.path("metadata").path("namespace").asText("").isEmpty()) {
      ((ObjectNode) copy.path("metadata")).put("namespace", namespace);
    }
    return copy;
  }
}
