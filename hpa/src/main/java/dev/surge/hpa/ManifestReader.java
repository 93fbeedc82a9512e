package dev.surge.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.surge.common.Quantities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a HorizontalPodAutoscaler (autoscaling/v2, or v1's {@code targetCPUUtilizationPercentage})
 * and its target Deployment's pod resources from YAML: a single manifest, a multi-document file
 * such as {@code kubectl kustomize} output, or a kustomize directory (rendered with {@code kubectl
 * kustomize}).
 *
 * <pre>{@code
 * ManifestReader.Manifest m = ManifestReader.read(Path.of("k8s/base"), Optional.empty());
 * m.hpa().maxReplicas(); m.workload().cpuRequestMillicores();
 * }</pre>
 */
public final class ManifestReader {
  private static final YAMLMapper YAML = new YAMLMapper();

  private ManifestReader() {}

  /**
   * The HPA and, when the input holds it, the Deployment's resources.
   *
   * @param hpa the HPA
   * @param workload the target's pod resources, empty when the Deployment is not in the input
   */
  public record Manifest(HpaSpec hpa, Optional<Workload> workload) {}

  /**
   * Reads the input.
   *
   * @param path a YAML file or a kustomize directory
   * @param hpaName which HPA when the input holds several
   * @throws IllegalArgumentException naming the file and what is missing or wrong
   */
  public static Manifest read(Path path, Optional<String> hpaName) {
    return parse(render(path), path.toString(), hpaName);
  }

  /**
   * The YAML text of the input: a file's content, or a kustomize directory rendered with {@code
   * kubectl kustomize} (for readers of other objects in the same manifests, e.g. the lab's pod
   * template).
   *
   * @throws IllegalArgumentException naming the path when it cannot be read or rendered
   */
  public static String render(Path path) {
    String yaml;
    if (Files.isDirectory(path)) {
      yaml = kustomize(path);
    } else {
      try {
        yaml = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    return yaml;
  }

  /** Parses YAML text; {@code source} names it in messages. */
  public static Manifest parse(String yaml, String source, Optional<String> hpaName) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject()) {
          if ("List".equals(doc.path("kind").asText()) && doc.path("items").isArray()) {
            doc.path("items").forEach(docs::add);
          } else {
            docs.add(doc);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
    }
    List<JsonNode> hpas =
        docs.stream()
            .filter(d -> "HorizontalPodAutoscaler".equals(d.path("kind").asText()))
            .filter(
                d ->
                    hpaName.isEmpty()
                        || hpaName.get().equals(d.path("metadata").path("name").asText()))
            .toList();
    if (hpas.isEmpty()) {
      throw new IllegalArgumentException(
          source + " has no HorizontalPodAutoscaler" + hpaName.map(n -> " named " + n).orElse(""));
    }
    if (hpas.size() > 1) {
      throw new IllegalArgumentException(
          source + " has " + hpas.size() + " HorizontalPodAutoscalers: name one");
    }
    HpaSpec hpa = hpaSpec(hpas.get(0), source);
    Optional<Workload> workload =
        docs.stream()
            .filter(d -> "Deployment".equals(d.path("kind").asText()))
            .filter(d -> hpa.targetName().equals(d.path("metadata").path("name").asText()))
            .findFirst()
            .map(d -> workload(d, source));
    return new Manifest(hpa, workload);
  }

  static HpaSpec hpaSpec(JsonNode doc, String source) {
    String name = doc.path("metadata").path("name").asText();
    String where = source + ": HorizontalPodAutoscaler " + name;
    JsonNode spec = doc.path("spec");
    String target = spec.path("scaleTargetRef").path("name").asText("");
    String targetKind = spec.path("scaleTargetRef").path("kind").asText("Deployment");
    if (target.isEmpty()) {
      throw new IllegalArgumentException(where + " has no spec.scaleTargetRef.name");
    }
    if (!"Deployment".equals(targetKind)) {
      throw new IllegalArgumentException(
          where + " scales a " + targetKind + "; only Deployments are modelled");
    }
    if (!spec.path("maxReplicas").canConvertToInt()) {
      throw new IllegalArgumentException(where + " has no spec.maxReplicas");
    }
    int min = spec.path("minReplicas").asInt(1);
    int max = spec.path("maxReplicas").asInt();
    int target80 = 80; // the API's default when no metric is given
    int utilization;
    if (spec.has("targetCPUUtilizationPercentage")) {
      utilization = spec.path("targetCPUUtilizationPercentage").asInt();
    } else if (!spec.path("metrics").isArray() || spec.path("metrics").isEmpty()) {
      utilization = target80;
    } else {
      utilization = -1;
      for (JsonNode metric : spec.path("metrics")) {
        JsonNode resource = metric.path("resource");
        if ("Resource".equals(metric.path("type").asText())
            && "cpu".equals(resource.path("name").asText())
            && "Utilization".equals(resource.path("target").path("type").asText())) {
          utilization = resource.path("target").path("averageUtilization").asInt(-1);
        }
      }
      if (utilization < 1) {
        throw new IllegalArgumentException(
            where
                + " has no Resource cpu metric with target type Utilization (only CPU utilization is modelled)");
      }
    }
    HpaSpec result =
        new HpaSpec(
            name,
            doc.path("metadata").path("namespace").asText(""),
            target,
            min,
            max,
            utilization,
            Optional.empty());
    JsonNode behavior = spec.path("behavior");
    if (behavior.isObject()) {
      try {
        result =
            result.withBehavior(
                rules(behavior.path("scaleUp"), ScalingRules.defaultScaleUp()),
                rules(behavior.path("scaleDown"), ScalingRules.defaultScaleDown()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": spec.behavior: " + e.getMessage(), e);
      }
    }
    return result;
  }

  /**
   * One direction's rules, with each absent field taken from the defaults as the API server's
   * defaulting does.
   */
  private static ScalingRules rules(JsonNode node, ScalingRules defaults) {
    if (!node.isObject()) {
      return defaults;
    }
    int window =
        node.path("stabilizationWindowSeconds").asInt(defaults.stabilizationWindowSeconds());
    ScalingRules.SelectPolicy select = defaults.selectPolicy();
    if (node.has("selectPolicy")) {
      String text = node.path("selectPolicy").asText();
      select =
          switch (text) {
            case "Max" -> ScalingRules.SelectPolicy.MAX;
            case "Min" -> ScalingRules.SelectPolicy.MIN;
            case "Disabled" -> ScalingRules.SelectPolicy.DISABLED;
            default ->
                throw new IllegalArgumentException(
                    "selectPolicy must be Max, Min or Disabled, got '" + text + "'");
          };
    }
    List<ScalingPolicy> policies = defaults.policies();
    if (node.path("policies").isArray() && !node.path("policies").isEmpty()) {
      policies = new ArrayList<>();
      for (JsonNode p : node.path("policies")) {
        String type = p.path("type").asText();
        ScalingPolicy.Type t =
            switch (type) {
              case "Pods" -> ScalingPolicy.Type.PODS;
              case "Percent" -> ScalingPolicy.Type.PERCENT;
              default ->
                  throw new IllegalArgumentException(
                      "policy type must be Pods or Percent, got '" + type + "'");
            };
        policies.add(
            new ScalingPolicy(t, p.path("value").asInt(), p.path("periodSeconds").asInt()));
      }
    }
    return new ScalingRules(window, select, policies);
  }

  static Workload workload(JsonNode deployment, String source) {
    long cpu = 0;
    long memory = 0;
    long limit = 0;
    boolean unlimited = false;
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    for (JsonNode c : containers) {
      JsonNode res = c.path("resources");
      try {
        if (res.path("requests").has("cpu")) {
          cpu += Quantities.cpuMillicores(res.path("requests").path("cpu").asText());
        }
        if (res.path("requests").has("memory")) {
          memory += Quantities.bytes(res.path("requests").path("memory").asText());
        }
        if (res.path("limits").has("cpu")) {
          limit += Quantities.cpuMillicores(res.path("limits").path("cpu").asText());
        } else {
          unlimited = true;
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source
                + ": Deployment "
                + deployment.path("metadata").path("name").asText()
                + " container "
                + c.path("name").asText()
                + ": "
                + e.getMessage(),
            e);
      }
    }
    if (cpu <= 0) {
      throw new IllegalArgumentException(
          source
              + ": Deployment "
              + deployment.path("metadata").path("name").asText()
              + " has no CPU request; a CPU utilization HPA cannot work without one");
    }
    return new Workload(cpu, memory, unlimited ? 0 : limit);
  }

  private static String kustomize(Path dir) {
    ProcessBuilder pb =
        new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false);
    try {
      Process p = pb.start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalArgumentException("kubectl kustomize " + dir + " failed: " + err.strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          dir
              + " is a directory: rendering it needs kubectl (with kustomize) on the PATH: "
              + e.getMessage().toLowerCase(Locale.ROOT),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl kustomize", e);
    }
  }
}
