package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every kind the overlay renders outside the built-in API groups has a CustomResourceDefinition in
 * the cluster that serves the overlay's version of it: without one, {@code kubectl apply -k} fails
 * with {@code no matches for kind ...}. The kinds come from the rendered overlay, so a component
 * added to or dropped from it changes this check.
 */
final class CrdCheck implements Check {
  static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

  /** What installs the CRDs of a group we know, as each project documents it. */
  private static final Map<String, String> INSTALLS =
      Map.of(
          "monitoring.coreos.com",
          KubePrometheusStack.INSTALL,
          "autoscaling.k8s.io",
          "kubectl apply -f https://raw.githubusercontent.com/kubernetes/autoscaler/master/"
              + "vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml",
          "keda.sh",
          "helm repo add kedacore https://kedacore.github.io/charts && helm install keda"
              + " kedacore/keda -n keda --create-namespace");

  /** A kind the overlay uses: group, version, kind. */
  private record Gvk(String group, String version, String kind) {
    @Override
    public String toString() {
      return kind + " (" + group + "/" + version + ")";
    }
  }

  @Override
  public String name() {
    return "crd";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    Map<String, Gvk> used = new TreeMap<>();
    for (JsonNode o : overlay.objects()) {
      String group = K8s.group(o);
      if (!BuiltInApiGroups.isBuiltIn(group)) {
        Gvk gvk = new Gvk(group, K8s.version(o), K8s.kind(o));
        used.putIfAbsent(gvk.toString(), gvk);
      }
    }
    if (used.isEmpty()) {
      return List.of();
    }
    List<JsonNode> crds = cluster.list(CRDS, null, null);
    List<CheckResult> results = new ArrayList<>();
    for (Gvk gvk : used.values()) {
      results.add(check(gvk, crds));
    }
    return results;
  }

  private CheckResult check(Gvk gvk, List<JsonNode> crds) {
    String fix =
        INSTALLS.getOrDefault(
            gvk.group(),
            "install the operator that serves "
                + gvk.group()
                + ", or drop the component that"
                + " renders "
                + gvk.kind()
                + " from the overlay");
    for (JsonNode crd : crds) {
      JsonNode spec = crd.path("spec");
      if (!gvk.group().equals(spec.path("group").asText())
          || !gvk.kind().equals(spec.path("names").path("kind").asText())) {
        continue;
      }
      List<String> served = new ArrayList<>();
      for (JsonNode v : spec.path("versions")) {
        if (v.path("served").asBoolean(false)) {
          served.add(v.path("name").asText());
        }
      }
      if (served.contains(gvk.version())) {
        return CheckResult.ok(name(), gvk.toString(), "CRD " + K8s.name(crd) + " serves it");
      }
      return CheckResult.missing(
          name(),
          gvk.toString(),
          "CRD "
              + K8s.name(crd)
              + " serves "
              + String.join(", ", served)
              + ", not "
              + gvk.version()
              + ": upgrade what installed it",
          fix);
    }
    return CheckResult.missing(
        name(),
        gvk.toString(),
        "no CRD defines it: kubectl apply -k fails with no matches for kind \"" + gvk.kind() + "\"",
        fix);
  }
}
