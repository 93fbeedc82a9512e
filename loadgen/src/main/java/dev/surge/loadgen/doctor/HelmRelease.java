package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Helm release that owns an object, read from what Helm and the charts put on it: the {@code
 * meta.helm.sh/release-name} and {@code -namespace} annotations Helm adds to every object, and the
 * {@code release}/{@code heritage}/{@code chart} labels kube-prometheus-stack adds to its own
 * ({@code templates/_helpers.tpl}, {@code kube-prometheus-stack.labels}). Used to print the {@code
 * helm upgrade} that changes a chart-rendered setting for good, where a {@code kubectl patch} would
 * be reverted by the next upgrade.
 *
 * @param name the release name
 * @param namespace the release's namespace
 * @param chart the chart label ({@code kube-prometheus-stack-88.5.3}), or {@code ""}
 */
record HelmRelease(String name, String namespace, String chart) {
  /** kube-prometheus-stack's chart reference in its documented repository. */
  static final String KPS_CHART = "prometheus-community/kube-prometheus-stack";

  /** The release owning {@code obj}, if Helm manages it. */
  static Optional<HelmRelease> of(JsonNode obj) {
    Map<String, String> labels = K8s.labels(obj);
    Map<String, String> annotations = K8s.annotations(obj);
    boolean managed =
        "Helm".equals(labels.get("app.kubernetes.io/managed-by"))
            || "Helm".equals(labels.get("heritage"))
            || annotations.containsKey("meta.helm.sh/release-name");
    if (!managed) {
      return Optional.empty();
    }
    String name =
        first(
            annotations.get("meta.helm.sh/release-name"),
            labels.get("release"),
            labels.get("app.kubernetes.io/instance"));
    if (name == null) {
      return Optional.empty();
    }
    String namespace =
        first(annotations.get("meta.helm.sh/release-namespace"), K8s.namespace(obj, "default"));
    String chart = first(labels.get("chart"), labels.get("helm.sh/chart"), "");
    return Optional.of(new HelmRelease(name, namespace, chart));
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** Whether this release is kube-prometheus-stack (its objects carry its chart label). */
  boolean isKubePrometheusStack() {
    return chart.startsWith("kube-prometheus-stack-");
  }

  /**
   * {@code helm upgrade <release> prometheus-community/kube-prometheus-stack -n <ns>
   * --reuse-values} with the given {@code --set}/{@code --set-json}/{@code --set-string} flags,
   * each a flag and its {@code key=value}.
   */
  String upgrade(String... flagsAndValues) {
    List<String> words =
        new ArrayList<>(
            List.of("helm", "upgrade", name, KPS_CHART, "-n", namespace, "--reuse-values"));
    for (int i = 0; i + 1 < flagsAndValues.length; i += 2) {
      words.add(flagsAndValues[i]);
      words.add(Shell.quote(flagsAndValues[i + 1]));
    }
    return String.join(" ", words);
  }
}
