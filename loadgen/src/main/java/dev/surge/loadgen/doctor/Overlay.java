package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.ManifestDocuments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a kustomize overlay renders ({@code kubectl kustomize <dir>}), which is what the
 * checks compare the cluster with: the kinds that need CRDs, our ServiceMonitors and their labels,
 * the Secrets our pods mount. Nothing about the overlay is hard-coded; a changed overlay changes
 * the checks.
 *
 * <pre>{@code
 * Overlay overlay = Overlay.render(kubectl, Path.of("k8s/overlays/demo"), "surge");
 * overlay.ofKind("ServiceMonitor");
 * }</pre>
 *
 * @param source the overlay as the user named it (for messages)
 * @param objects the rendered objects, in order
 * @param defaultNamespace the namespace of namespaced objects that name none ({@code --namespace})
 */
record Overlay(String source, List<JsonNode> objects, String defaultNamespace) {

  Overlay {
    objects = List.copyOf(objects);
  }

  /**
   * Renders {@code dir} with {@code kubectl kustomize}.
   *
   * @throws UsageException naming the overlay when kustomize fails or prints no YAML
   */
  static Overlay render(KubectlProcess kubectl, OverlayLocator.Located dir, String namespace) {
    KubectlProcess.Result r = kubectl.run(List.of("kustomize", dir.path().toString()));
    if (!r.ok()) {
      throw new UsageException(
          "--overlay '" + dir.given() + "': kubectl kustomize failed: " + r.errorLine());
    }
    String source =
        dir.given().equals(dir.path().toString()) ? dir.given() : dir.given() + " at " + dir.path();
    return parse(r.out(), source, namespace);
  }

  /** Parses multi-document YAML (a {@code List} document is flattened). */
  static Overlay parse(String yaml, String source, String namespace) {
    List<JsonNode> docs;
    try {
      docs = List.copyOf(ManifestDocuments.parse(yaml, source));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--overlay '" + source + "': " + e.getMessage(), e);
    }
    return new Overlay(source, docs, namespace);
  }

  /** The rendered objects of one kind. */
  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(K8s.kind(o))).toList();
  }

  /** An object's namespace, or {@link #defaultNamespace()} when it names none. */
  String namespaceOf(JsonNode obj) {
    return K8s.namespace(obj, defaultNamespace);
  }

  /** Whether the overlay itself creates this object (then the cluster need not have it yet). */
  boolean creates(String kind, String namespace, String name) {
    return objects.stream()
        .anyMatch(
            o ->
                kind.equals(K8s.kind(o))
                    && name.equals(K8s.name(o))
                    && namespace.equals(namespaceOf(o)));
  }

  /**
   * The labels of namespace {@code ns} as the overlay renders it, with the {@code
   * kubernetes.io/metadata.name} label the API server adds to every namespace; empty of other
   * labels when the overlay does not create it.
   */
  Map<String, String> namespaceLabels(String ns) {
    Map<String, String> labels = new LinkedHashMap<>();
    ofKind("Namespace").stream()
        .filter(n -> ns.equals(K8s.name(n)))
        .findFirst()
        .ifPresent(n -> labels.putAll(K8s.labels(n)));
    labels.put("kubernetes.io/metadata.name", ns);
    return labels;
  }
}
