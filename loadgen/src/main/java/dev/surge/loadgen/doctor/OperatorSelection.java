package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a Prometheus Operator custom resource (a {@code Prometheus} or an {@code Alertmanager})
 * selects one of our objects, with the operator's rules: the object's labels must match {@code
 * spec.<selector>} (empty selects all, null none) and its namespace's labels {@code
 * spec.<namespaceSelector>} (empty selects all, null only the CR's own namespace: the CRDs'
 * documented default). When it does not, the verdict says why and gives the one command that fixes
 * it, preferring the durable one:
 *
 * <ol>
 *   <li>the kube-prometheus-stack default selector {@code release: <its release>} (rendered when
 *       {@code *SelectorNilUsesHelmValues} is true and no selector is set): {@code helm upgrade ...
 *       --set ...SelectorNilUsesHelmValues=false}, which makes the chart render {@code {}};
 *   <li>labels that would make it match: {@code kubectl label} on our object (or namespace);
 *   <li>otherwise (null selector, contradictory requirements): the selector set to {@code {}}
 *       through {@code helm upgrade} for a chart-managed CR, else {@code kubectl patch}.
 * </ol>
 */
final class OperatorSelection {
  /** Which fields of the CR select one kind of object. */
  record Fields(
      String crResource,
      String selector,
      String namespaceSelector,
      String nilUsesHelmValues,
      String helmPrefix) {}

  /** The outcome for one CR and one object. */
  record Verdict(boolean selected, String why, String fix) {}

  private OperatorSelection() {}

  /**
   * @param cr the Prometheus or Alertmanager as the cluster has it
   * @param fields the selector fields for this kind of object
   * @param object our object as the overlay renders it
   * @param objectResource the object's resource for {@code kubectl label} ({@code
   *     servicemonitors.monitoring.coreos.com})
   * @param namespace the object's namespace
   * @param namespaceLabels that namespace's labels
   * @param overlayNamespaceLabels the labels our overlay sets on that namespace (a {@code kubectl
   *     label} of one of these is reverted by the next apply)
   */
  static Verdict evaluate(
      JsonNode cr,
      Fields fields,
      JsonNode object,
      String objectResource,
      String namespace,
      Map<String, String> namespaceLabels,
      Map<String, String> overlayNamespaceLabels) {
    String crRef = K8s.kind(cr) + " " + K8s.ref(cr, "");
    String crNamespace = K8s.namespace(cr, "");
    Optional<HelmRelease> helm = HelmRelease.of(cr).filter(HelmRelease::isKubePrometheusStack);
    Map<String, String> labels = K8s.labels(object);
    JsonNode spec = cr.path("spec");

    LabelSelector selector = LabelSelector.of(spec.get(fields.selector()));
    if (!selector.matches(labels)) {
      String why = crRef + " selects " + fields.selector() + " " + selector;
      Optional<String> chartRelease = chartDefaultRelease(selector, helm, fields);
      if (chartRelease.isPresent()) {
        String release = chartRelease.get();
        String ours = labels.getOrDefault("release", "(none)");
        why +=
            ": kube-prometheus-stack's default for release '"
                + release
                + "' ("
                + fields.helmPrefix()
                + fields.nilUsesHelmValues()
                + "=true); ours carry release="
                + ours
                + (ours.equals("prometheus") && !release.equals("prometheus")
                    ? ". Your release is named '"
                        + release
                        + "', not 'prometheus': either relabel ours to release="
                        + release
                        + " in your overlay (k8s/README.md, \"Another Helm release name\") or let"
                        + " the chart select every object"
                    : "");
        return new Verdict(
            false,
            why,
            helm.orElseThrow()
                .upgrade("--set", fields.helmPrefix() + fields.nilUsesHelmValues() + "=false"));
      }
      Optional<Map<String, Optional<String>>> changes = selector.changesToMatch(labels);
      if (changes.isPresent()) {
        return new Verdict(
            false,
            why + "; ours has " + relevant(selector, labels) + revertNote(changes.get(), labels),
            label(objectResource + " " + K8s.name(object), namespace, changes.get()));
      }
      return new Verdict(false, why, selectAll(cr, fields.selector(), helm, fields));
    }

    JsonNode nsNode = spec.get(fields.namespaceSelector());
    if (nsNode == null || nsNode.isNull()) {
      if (namespace.equals(crNamespace)) {
        return new Verdict(true, "selected by " + crRef, "");
      }
      return new Verdict(
          false,
          crRef
              + " has no "
              + fields.namespaceSelector()
              + " (null: only its own namespace "
              + crNamespace
              + "), ours is in "
              + namespace,
          selectAll(cr, fields.namespaceSelector(), helm, fields));
    }
    LabelSelector nsSelector = LabelSelector.of(nsNode);
    if (!nsSelector.matches(namespaceLabels)) {
      String why =
          crRef
              + " selects "
              + fields.namespaceSelector()
              + " "
              + nsSelector
              + "; namespace "
              + namespace
              + " has "
              + relevant(nsSelector, namespaceLabels);
      Optional<Map<String, Optional<String>>> changes = nsSelector.changesToMatch(namespaceLabels);
      if (changes.isPresent()) {
        return new Verdict(
            false,
            why + revertNote(changes.get(), overlayNamespaceLabels),
            label("namespace " + namespace, null, changes.get()));
      }
      return new Verdict(false, why, selectAll(cr, fields.namespaceSelector(), helm, fields));
    }
    return new Verdict(true, "selected by " + crRef, "");
  }

  /** The release R when the selector is exactly the chart's {@code release: R} default. */
  private static Optional<String> chartDefaultRelease(
      LabelSelector selector, Optional<HelmRelease> helm, Fields fields) {
    if (helm.isEmpty() || fields.nilUsesHelmValues() == null) {
      return Optional.empty();
    }
    List<LabelSelector.Requirement> reqs = selector.requirements();
    if (reqs.size() == 1
        && reqs.get(0).key().equals("release")
        && reqs.get(0).operator().equals("In")
        && reqs.get(0).values().equals(List.of(helm.get().name()))) {
      return Optional.of(helm.get().name());
    }
    return Optional.empty();
  }

  private static String relevant(LabelSelector selector, Map<String, String> labels) {
    List<String> parts = new ArrayList<>();
    for (LabelSelector.Requirement r : selector.requirements()) {
      String v = labels.get(r.key());
      parts.add(v == null ? "no " + r.key() : r.key() + "=" + v);
    }
    return parts.isEmpty() ? "labels " + labels : String.join(", ", parts);
  }

  private static String revertNote(
      Map<String, Optional<String>> changes, Map<String, String> setByOverlay) {
    List<String> ours =
        changes.keySet().stream().filter(setByOverlay::containsKey).sorted().toList();
    return ours.isEmpty()
        ? ""
        : " (the overlay sets "
            + String.join(", ", ours)
            + ": the next kubectl apply -k reverts this label; change it in your overlay)";
  }

  /** {@code kubectl [-n ns] label <what> k=v k2- --overwrite}. */
  static String label(String what, String namespace, Map<String, Optional<String>> changes) {
    List<String> words = new ArrayList<>(List.of("kubectl"));
    if (namespace != null) {
      words.addAll(List.of("-n", namespace));
    }
    words.add("label");
    words.add(what);
    changes.forEach(
        (k, v) -> words.add(Shell.quote(v.map(value -> k + "=" + value).orElse(k + "-"))));
    words.add("--overwrite");
    return String.join(" ", words);
  }

  private static String selectAll(
      JsonNode cr, String field, Optional<HelmRelease> helm, Fields fields) {
    if (helm.isPresent()) {
      String fix = helm.get().upgrade("--set-json", fields.helmPrefix() + field + "={}");
      if (fields.nilUsesHelmValues() != null && field.equals(fields.selector())) {
        fix =
            helm.get()
                .upgrade(
                    "--set",
                    fields.helmPrefix() + fields.nilUsesHelmValues() + "=false",
                    "--set-json",
                    fields.helmPrefix() + field + "={}");
      }
      return fix;
    }
    return "kubectl -n "
        + K8s.namespace(cr, "default")
        + " patch "
        + fields.crResource()
        + " "
        + K8s.name(cr)
        + " --type merge -p "
        + Shell.quote("{\"spec\":{\"" + field + "\":{}}}");
  }
}
