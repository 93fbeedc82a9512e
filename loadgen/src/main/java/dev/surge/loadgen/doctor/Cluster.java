package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor reads from a live cluster: objects as {@code kubectl get -o json} prints them.
 * The real one is {@link KubectlCluster}; tests feed recorded JSON through a fake.
 *
 * <p>{@code resource} is a fully qualified resource name as {@code kubectl get} takes it ({@code
 * prometheuses.monitoring.coreos.com}, {@code deployments.apps}, {@code secrets}). A resource type
 * the server does not have reads as no objects (an absent CRD is what several checks report).
 *
 * <p>Implementations may be called from one thread at a time.
 */
interface Cluster {
  /** The API server's version ({@code v1.33.1}); fails when the server cannot be reached. */
  String serverVersion();

  /**
   * One object, or empty when it does not exist.
   *
   * @param namespace the namespace, or null for a cluster-scoped resource
   * @throws ClusterException when it cannot be read (forbidden, unreachable)
   */
  Optional<JsonNode> get(String resource, String namespace, String name);

  /**
   * The objects of a resource.
   *
   * @param namespace one namespace, or null for all namespaces (or a cluster-scoped resource)
   * @param labelSelector an equality selector ({@code app.kubernetes.io/name=grafana}), or null
   * @throws ClusterException when they cannot be read
   */
  List<JsonNode> list(String resource, String namespace, String labelSelector);
}
