package dev.surge.systest.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The repository's kustomizations (base, components, overlays) and their rendered objects, rendered
 * once per test JVM with the real {@code kubectl kustomize}.
 */
final class Manifests {
  /** The contract's app pod labels. */
  static final Map<String, String> APP_POD_LABELS =
      Map.of(
          "app.kubernetes.io/name", "surge",
          "app.kubernetes.io/component", "app",
          "app.kubernetes.io/part-of", "surge");

  /** The contract's loadgen pod labels (a subset of what the pods carry). */
  static final Map<String, String> LOADGEN_POD_LABELS =
      Map.of("app.kubernetes.io/name", "surge-loadgen", "app.kubernetes.io/part-of", "surge");

  /** kube-prometheus-stack's Prometheus in the contract. */
  static final String PROMETHEUS_URL =
      "http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090";

  private static final Map<Path, List<ObjectNode>> CACHE = new ConcurrentHashMap<>();

  private Manifests() {}

  static Path k8s() {
    return RepoPaths.resolve("k8s");
  }

  /** Every directory under k8s/overlays with a kustomization.yaml. */
  static List<Path> overlays() {
    return kustomizationDirs(k8s().resolve("overlays"));
  }

  /** Every directory under k8s/components with a kustomization.yaml. */
  static List<Path> components() {
    return kustomizationDirs(k8s().resolve("components"));
  }

  /** The base and every overlay: everything that renders on its own. */
  static List<Path> renderable() {
    List<Path> all = new ArrayList<>();
    all.add(k8s().resolve("base"));
    all.addAll(overlays());
    return all;
  }

  static List<ObjectNode> render(Path dir) {
    return CACHE.computeIfAbsent(dir.toAbsolutePath().normalize(), Kustomize::render);
  }

  static List<ObjectNode> base() {
    return render(k8s().resolve("base"));
  }

  static List<ObjectNode> demo() {
    return render(k8s().resolve("overlays/demo"));
  }

  /** The demo plus every optional component that works alongside it (adapter, VPA, routing). */
  static List<ObjectNode> full() {
    return render(k8s().resolve("overlays/full"));
  }

  /** The demo with the course seed's HPA (CPU 70 % + memory 80 %). */
  static List<ObjectNode> seed() {
    return render(k8s().resolve("overlays/seed"));
  }

  static List<ObjectNode> keda() {
    return render(k8s().resolve("overlays/keda"));
  }

  /** The PrometheusRule {@code surge} exactly as the demo overlay renders it. */
  static ObjectNode prometheusRule() {
    return Kustomize.one(demo(), "PrometheusRule", "surge");
  }

  /** The rule groups of {@link #prometheusRule()}. */
  static RuleGroups rules() {
    return RuleGroups.of(prometheusRule());
  }

  /** The containers of a Deployment's or Job's pod template. */
  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  /** The container named {@code name} in a workload's pod template. */
  static JsonNode container(JsonNode workload, String name) {
    for (JsonNode c : podSpec(workload).path("containers")) {
      if (name.equals(c.path("name").asText())) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + Kustomize.id(workload));
  }

  /** The relative name of a kustomization directory, e.g. {@code overlays/demo}. */
  static String name(Path dir) {
    return k8s().relativize(dir).toString();
  }

  private static List<Path> kustomizationDirs(Path parent) {
    try (Stream<Path> dirs = Files.list(parent)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent, e);
    }
  }
}
