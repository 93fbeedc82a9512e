package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Cluster} that answers from recorded {@code kubectl get -o json} output (the files in
 * {@code src/test/resources/doctor}, see their README for where each comes from), with the same
 * filtering kubectl does: by namespace, by name, by an equality label selector.
 */
final class FixtureCluster implements Cluster {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, List<JsonNode>> objects = new HashMap<>();
  private final Map<String, String> failures = new HashMap<>();
  private String unreachable;

  /** A fixture file's objects (a {@code List}'s items, or the one object), as fresh copies. */
  static List<JsonNode> load(String file) {
    try (InputStream in = FixtureCluster.class.getResourceAsStream("/doctor/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture doctor/" + file);
      }
      JsonNode node = JSON.readTree(in);
      List<JsonNode> out = new ArrayList<>();
      if ("List".equals(node.path("kind").asText())) {
        node.path("items").forEach(out::add);
      } else {
        out.add(node);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first object of a fixture file, to edit for a variant. */
  static ObjectNode one(String file) {
    return (ObjectNode) load(file).get(0);
  }

  /**
   * A cluster with everything our overlays need, as kube-prometheus-stack 88.5.3 installed per
   * k8s/README.md, metrics-server, the VPA and KEDA CRDs, our namespace and our Secrets.
   */
  static FixtureCluster healthy() {
    return new FixtureCluster()
        .add("apiservices.apiregistration.k8s.io", load("apiservice-metrics-available.json"))
        .add(CrdCheck.CRDS, load("crds-kps-88.5.3.json"))
        .add(CrdCheck.CRDS, load("crds-vpa-keda.json"))
        .add(PrometheusSelectorCheck.PROMETHEUSES, load("prometheus-kps-88.5.3.json"))
        .add(AlertmanagerConfigCheck.ALERTMANAGERS, load("alertmanager-kps-88.5.3.json"))
        .add("deployments.apps", load("grafana-deployment-kps-88.5.3.json"))
        .add("namespaces", load("namespace-surge.json"))
        .add("secrets", load("secrets-surge.json"));
  }

  FixtureCluster add(String resource, List<JsonNode> more) {
    objects.computeIfAbsent(resource, r -> new ArrayList<>()).addAll(more);
    return this;
  }

  FixtureCluster add(String resource, JsonNode object) {
    return add(resource, List.of(object));
  }

  /** Replaces every object of a resource. */
  FixtureCluster set(String resource, List<JsonNode> all) {
    objects.put(resource, new ArrayList<>(all));
    return this;
  }

  FixtureCluster failing(String resource, String message) {
    failures.put(resource, message);
    return this;
  }

  FixtureCluster unreachable(String message) {
    unreachable = message;
    return this;
  }

  @Override
  public String serverVersion() {
    if (unreachable != null) {
      throw new ClusterException(unreachable);
    }
    return "v1.33.1";
  }

  @Override
  public Optional<JsonNode> get(String resource, String namespace, String name) {
    fail(resource);
    return objects.getOrDefault(resource, List.of()).stream()
        .filter(o -> name.equals(K8s.name(o)))
        .filter(o -> namespace == null || namespace.equals(K8s.namespace(o, "")))
        .findFirst();
  }

  @Override
  public List<JsonNode> list(String resource, String namespace, String labelSelector) {
    fail(resource);
    LabelSelector selector =
        labelSelector == null ? null : LabelSelector.ofEqualities(labelSelector);
    return objects.getOrDefault(resource, List.of()).stream()
        .filter(o -> namespace == null || namespace.equals(K8s.namespace(o, "")))
        .filter(o -> selector == null || selector.matches(K8s.labels(o)))
        .toList();
  }

  private void fail(String resource) {
    if (unreachable != null) {
      throw new ClusterException(unreachable);
    }
    if (failures.containsKey(resource)) {
      throw new ClusterException(failures.get(resource), resource);
    }
  }
}
