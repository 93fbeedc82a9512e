package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grafana's dashboard sidecar (kiwigrid/k8s-sidecar, container {@code grafana-sc-dashboard} in the
 * Grafana chart) loads our dashboard ConfigMaps. The sidecar's environment says what it watches, as
 * the Grafana chart renders it from {@code sidecar.dashboards.*} ({@code templates/_pod.tpl}):
 * {@code LABEL} (the key a ConfigMap must carry), {@code LABEL_VALUE} (its value; absent: any),
 * {@code NAMESPACE} (absent: Grafana's own namespace only; {@code ALL}; or a comma-separated list)
 * and {@code RESOURCE} ({@code configmap}, {@code secret} or {@code both}). Our dashboard
 * ConfigMaps are the overlay's ConfigMaps with a {@code .json} key.
 */
final class GrafanaSidecarCheck implements Check {
  static final String GRAFANA_SELECTOR = "app.kubernetes.io/name=grafana";
  private static final String KPS_PREFIX = "grafana.sidecar.dashboards.";

  /** The watch the sidecar's env describes. */
  private record Watch(
      String container,
      String label,
      Optional<String> labelValue,
      String namespaces,
      String resource) {}

  @Override
  public String name() {
    return "grafana";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    List<JsonNode> dashboards =
        overlay.ofKind("ConfigMap").stream()
            .filter(
                cm -> {
                  List<String> keys = new ArrayList<>();
                  cm.path("data").fieldNames().forEachRemaining(keys::add);
                  return keys.stream().anyMatch(k -> k.endsWith(".json"));
                })
            .toList();
    if (dashboards.isEmpty()) {
      return List.of();
    }
    String subject = dashboards.size() + " dashboard ConfigMaps";
    List<JsonNode> grafanas = cluster.list("deployments.apps", null, GRAFANA_SELECTOR);
    if (grafanas.isEmpty()) {
      return List.of(
          CheckResult.missing(
              name(),
              subject,
              "no Grafana Deployment (label " + GRAFANA_SELECTOR + ") in the cluster",
              KubePrometheusStack.INSTALL));
    }
    CheckResult first = null;
    for (JsonNode grafana : grafanas) {
      CheckResult r = check(overlay, cluster, grafana, dashboards, subject);
      if (r.ok()) {
        return List.of(r);
      }
      if (first == null) {
        first = r;
      }
    }
    return List.of(first);
  }

  private CheckResult check(
      Overlay overlay,
      Cluster cluster,
      JsonNode grafana,
      List<JsonNode> dashboards,
      String subject) {
    String grafanaNs = K8s.namespace(grafana, "default");
    String ref = "Grafana " + grafanaNs + "/" + K8s.name(grafana);
    Optional<HelmRelease> kps = kubePrometheusStack(grafana, cluster);
    Optional<Watch> found = watch(grafana);
    if (found.isEmpty()) {
      return CheckResult.missing(
          name(),
          subject,
          ref + " runs no dashboard sidecar (container *-sc-dashboard)",
          kps.map(h -> h.upgrade("--set", KPS_PREFIX + "enabled=true"))
              .orElse("set sidecar.dashboards.enabled=true in Grafana's Helm values"));
    }
    Watch w = found.get();
    String setEnv =
        "kubectl -n "
            + grafanaNs
            + " set env deployment/"
            + K8s.name(grafana)
            + " -c "
            + w.container()
            + " ";
    if (w.resource().equals("secret")) {
      return CheckResult.missing(
          name(),
          subject,
          ref + "'s sidecar watches Secrets only (RESOURCE=secret); ours are ConfigMaps",
          kps.map(h -> h.upgrade("--set", KPS_PREFIX + "resource=both"))
              .orElse(setEnv + "RESOURCE=both"));
    }
    List<String> outside = new ArrayList<>();
    List<String> unlabelled = new ArrayList<>();
    boolean ourLabelKey = false;
    for (JsonNode cm : dashboards) {
      String ns = overlay.namespaceOf(cm);
      if (!watches(w.namespaces(), grafanaNs, ns)) {
        outside.add(ns + "/" + K8s.name(cm));
      }
      Map<String, String> labels = K8s.labels(cm);
      String v = labels.get(w.label());
      if (v == null || w.labelValue().map(want -> !want.equals(v)).orElse(false)) {
        unlabelled.add(K8s.name(cm));
        ourLabelKey |= v != null;
      }
    }
    String watchText =
        "label "
            + w.label()
            + w.labelValue().map(v -> "=" + v).orElse(" (any value)")
            + " in "
            + (w.namespaces().isEmpty() ? "its own namespace " + grafanaNs : w.namespaces());
    if (!outside.isEmpty()) {
      return CheckResult.missing(
          name(),
          subject,
          ref
              + "'s sidecar watches "
              + watchText
              + "; "
              + String.join(", ", outside)
              + " are outside it",
          kps.map(h -> h.upgrade("--set", KPS_PREFIX + "searchNamespace=ALL"))
              .orElse(setEnv + "NAMESPACE=ALL"));
    }
    if (!unlabelled.isEmpty()) {
      Map<String, Optional<String>> change = new LinkedHashMap<>();
      change.put(w.label(), Optional.of(w.labelValue().orElse("1")));
      String namespace = overlay.namespaceOf(dashboards.get(0));
      return CheckResult.missing(
          name(),
          subject,
          ref
              + "'s sidecar watches "
              + watchText
              + "; "
              + String.join(", ", unlabelled)
              + " do not carry it"
              + (ourLabelKey
                  ? " (the overlay sets "
                      + w.label()
                      + " to another value: the next kubectl apply -k reverts this label;"
                      + " change it in your overlay)"
                  : ""),
          OperatorSelection.label("configmap " + String.join(" ", unlabelled), namespace, change));
    }
    return CheckResult.ok(name(), subject, "loaded by " + ref + "'s sidecar (" + watchText + ")");
  }

  /** Whether a sidecar with {@code NAMESPACE=namespaces} in {@code own} sees {@code ns}. */
  private static boolean watches(String namespaces, String own, String ns) {
    if (namespaces.isEmpty()) {
      return own.equals(ns);
    }
    return Arrays.stream(namespaces.split(","))
        .map(String::strip)
        .anyMatch(n -> n.equals("ALL") || n.equals(ns));
  }

  private static Optional<Watch> watch(JsonNode grafana) {
    JsonNode pod = grafana.path("spec").path("template").path("spec");
    List<JsonNode> containers = new ArrayList<>();
    pod.path("containers").forEach(containers::add);
    pod.path("initContainers").forEach(containers::add);
    for (JsonNode c : containers) {
      String name = c.path("name").asText();
      if (!name.endsWith("-sc-dashboard")) {
        continue;
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (JsonNode e : c.path("env")) {
        if (e.has("value")) {
          env.put(e.path("name").asText(), e.path("value").asText());
        }
      }
      String label = env.getOrDefault("LABEL", "");
      Optional<String> value =
          Optional.ofNullable(env.get("LABEL_VALUE")).filter(v -> !v.isEmpty());
      return Optional.of(
          new Watch(
              name,
              label,
              value,
              env.getOrDefault("NAMESPACE", ""),
              env.getOrDefault("RESOURCE", "configmap")));
    }
    return Optional.empty();
  }

  /**
   * The kube-prometheus-stack release this Grafana is part of: a Helm release that also owns a
   * kube-prometheus-stack Prometheus (the Grafana subchart's labels name only the grafana chart).
   */
  private static Optional<HelmRelease> kubePrometheusStack(JsonNode grafana, Cluster cluster) {
    Optional<HelmRelease> own = HelmRelease.of(grafana);
    if (own.isEmpty()) {
      return Optional.empty();
    }
    return cluster.list(PrometheusSelectorCheck.PROMETHEUSES, null, null).stream()
        .map(HelmRelease::of)
        .flatMap(Optional::stream)
        .filter(HelmRelease::isKubePrometheusStack)
        .filter(
            h -> h.name().equals(own.get().name()) && h.namespace().equals(own.get().namespace()))
        .findFirst();
  }
}
