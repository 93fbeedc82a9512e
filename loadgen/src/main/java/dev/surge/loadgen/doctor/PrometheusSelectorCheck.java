package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every ServiceMonitor, PodMonitor, PrometheusRule, Probe and ScrapeConfig the overlay renders is
 * selected by a Prometheus in the cluster: by the CR's object selector and its namespace selector,
 * with the operator's semantics ({@link OperatorSelection}). This is the silent failure of
 * kube-prometheus-stack users (helm-charts#430, #1631, prometheus-operator#3767): the chart's
 * Prometheus selects only {@code release: <its release>} by default, so a release not named {@code
 * prometheus} ignores our objects without a word; the report names the release and the fix.
 */
final class PrometheusSelectorCheck implements Check {
  static final String PROMETHEUSES = "prometheuses.monitoring.coreos.com";
  private static final String PREFIX = "prometheus.prometheusSpec.";

  /** A kind we render, its resource, and the Prometheus fields that select it. */
  private record Selected(String kind, String resource, OperatorSelection.Fields fields) {}

  private static final List<Selected> KINDS =
      List.of(
          selected("ServiceMonitor", "servicemonitors", "serviceMonitor"),
          selected("PodMonitor", "podmonitors", "podMonitor"),
          new Selected(
              "PrometheusRule",
              "prometheusrules.monitoring.coreos.com",
              new OperatorSelection.Fields(
                  PROMETHEUSES,
                  "ruleSelector",
                  "ruleNamespaceSelector",
                  "ruleSelectorNilUsesHelmValues",
                  PREFIX)),
          selected("Probe", "probes", "probe"),
          selected("ScrapeConfig", "scrapeconfigs", "scrapeConfig"));

  private static Selected selected(String kind, String plural, String field) {
    return new Selected(
        kind,
        plural + ".monitoring.coreos.com",
        new OperatorSelection.Fields(
            PROMETHEUSES,
            field + "Selector",
            field + "NamespaceSelector",
            field + "SelectorNilUsesHelmValues",
            PREFIX));
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    List<JsonNode> ours = new ArrayList<>();
    for (Selected s : KINDS) {
      ours.addAll(overlay.ofKind(s.kind()));
    }
    if (ours.isEmpty()) {
      return List.of();
    }
    List<JsonNode> prometheuses = new ArrayList<>(cluster.list(PROMETHEUSES, null, null));
    if (prometheuses.isEmpty()) {
      return List.of(
          CheckResult.missing(
              name(),
              "Prometheus",
              "no Prometheus custom resource in the cluster: nothing evaluates our "
                  + ours.size()
                  + " monitoring objects",
              KubePrometheusStack.INSTALL));
    }
    // a kube-prometheus-stack Prometheus first: its verdict and fix are the ones reported
    prometheuses.sort(
        Comparator.comparing(
            (JsonNode p) ->
                HelmRelease.of(p).filter(HelmRelease::isKubePrometheusStack).isEmpty()));
    NamespaceLabels namespaces = new NamespaceLabels(overlay, cluster);
    List<CheckResult> results = new ArrayList<>();
    for (Selected s : KINDS) {
      for (JsonNode object : overlay.ofKind(s.kind())) {
        results.add(check(overlay, s, object, prometheuses, namespaces));
      }
    }
    return results;
  }

  private CheckResult check(
      Overlay overlay,
      Selected s,
      JsonNode object,
      List<JsonNode> prometheuses,
      NamespaceLabels namespaces) {
    String ns = overlay.namespaceOf(object);
    String subject = s.kind() + " " + ns + "/" + K8s.name(object);
    Map<String, String> nsLabels = namespaces.of(ns);
    OperatorSelection.Verdict first = null;
    for (JsonNode p : prometheuses) {
      OperatorSelection.Verdict v =
          OperatorSelection.evaluate(
              p, s.fields(), object, s.resource(), ns, nsLabels, overlay.namespaceLabels(ns));
      if (v.selected()) {
        return CheckResult.ok(name(), subject, v.why());
      }
      if (first == null) {
        first = v;
      }
    }
    String others =
        prometheuses.size() > 1
            ? " (nor do the other " + (prometheuses.size() - 1) + " Prometheus CRs select it)"
            : "";
    return CheckResult.missing(name(), subject, first.why() + others, first.fix());
  }
}
