package dev.surge.loadgen.doctor;

import java.util.HashMap;
import java.util.Map;

/**
 * The labels of a namespace, as namespace selectors see them: the live namespace's when the cluster
 * has it, else the overlay's rendering of it (plus the {@code kubernetes.io/metadata.name} label
 * the API server sets on every namespace), since {@code kubectl apply -k} would create it so.
 *
 * <p>Caches per namespace; one thread at a time.
 */
final class NamespaceLabels {
  private final Overlay overlay;
  private final Cluster cluster;
  private final Map<String, Map<String, String>> cache = new HashMap<>();

  NamespaceLabels(Overlay overlay, Cluster cluster) {
    this.overlay = overlay;
    this.cluster = cluster;
  }

  Map<String, String> of(String namespace) {
    return cache.computeIfAbsent(
        namespace,
        ns ->
            cluster
                .get("namespaces", null, ns)
                .map(K8s::labels)
                .orElseGet(() -> overlay.namespaceLabels(ns)));
  }
}
