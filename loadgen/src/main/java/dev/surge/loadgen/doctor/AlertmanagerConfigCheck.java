package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every AlertmanagerConfig the overlay renders is selected by an Alertmanager in the cluster
 * ({@code spec.alertmanagerConfigSelector}: empty selects all, null none; {@code
 * spec.alertmanagerConfigNamespaceSelector}: empty all, null only the Alertmanager's own
 * namespace). kube-prometheus-stack renders {@code {}} for both unless values set them.
 */
final class AlertmanagerConfigCheck implements Check {
  static final String ALERTMANAGERS = "alertmanagers.monitoring.coreos.com";
  private static final OperatorSelection.Fields FIELDS =
      new OperatorSelection.Fields(
          ALERTMANAGERS,
          "alertmanagerConfigSelector",
          "alertmanagerConfigNamespaceSelector",
          null,
          "alertmanager.alertmanagerSpec.");

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    List<JsonNode> configs = overlay.ofKind("AlertmanagerConfig");
    if (configs.isEmpty()) {
      return List.of();
    }
    List<JsonNode> alertmanagers = new ArrayList<>(cluster.list(ALERTMANAGERS, null, null));
    if (alertmanagers.isEmpty()) {
      return List.of(
          CheckResult.missing(
              name(),
              "Alertmanager",
              "no Alertmanager custom resource in the cluster: our AlertmanagerConfig routes"
                  + " nothing",
              KubePrometheusStack.INSTALL));
    }
    alertmanagers.sort(
        Comparator.comparing(
            (JsonNode a) ->
                HelmRelease.of(a).filter(HelmRelease::isKubePrometheusStack).isEmpty()));
    NamespaceLabels namespaces = new NamespaceLabels(overlay, cluster);
    List<CheckResult> results = new ArrayList<>();
    for (JsonNode config : configs) {
      String ns = overlay.namespaceOf(config);
      String subject = "AlertmanagerConfig " + ns + "/" + K8s.name(config);
      OperatorSelection.Verdict first = null;
      for (JsonNode am : alertmanagers) {
        OperatorSelection.Verdict v =
            OperatorSelection.evaluate(
                am,
                FIELDS,
                config,
                "alertmanagerconfigs.monitoring.coreos.com",
                ns,
                namespaces.of(ns),
                overlay.namespaceLabels(ns));
        if (v.selected()) {
          first = v;
          break;
        }
        if (first == null) {
          first = v;
        }
      }
      results.add(
          first.selected()
              ? CheckResult.ok(name(), subject, first.why())
              : CheckResult.missing(name(), subject, first.why(), first.fix()));
    }
    return results;
  }
}
