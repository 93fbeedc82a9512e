package dev.surge.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.Quantities;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    List<JsonNode> docs = List.copyOf(ManifestDocuments.parse(yaml, source));
    List<JsonNode> scalers =
        docs.stream()
            .filter(
                d ->
                    "HorizontalPodAutoscaler".equals(d.path("kind").asText())
                        || "ScaledObject".equals(d.path("kind").asText()))
            .toList();
    List<JsonNode> chosen =
        scalers.stream().filter(d -> hpaName.isEmpty() || hpaName.get().equals(nameOf(d))).toList();
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " has no HorizontalPodAutoscaler or ScaledObject"
              + hpaName.map(n -> " named " + n).orElse("")
              + (scalers.isEmpty() || hpaName.isEmpty() ? "" : " (it has " + names(scalers) + ")"));
    }
    if (chosen.size() > 1) {
      // Several: keep those that scale a Deployment in the input (a kustomize overlay holds one).
      List<String> deployments =
          docs.stream()
              .filter(d -> "Deployment".equals(d.path("kind").asText()))
              .map(ManifestReader::nameOf)
              .toList();
      List<JsonNode> targeting =
          chosen.stream()
              .filter(
                  d ->
                      deployments.contains(
                          d.path("spec").path("scaleTargetRef").path("name").asText()))
              .toList();
      if (targeting.size() != 1) {
        throw new IllegalArgumentException(
            source + " has " + chosen.size() + " autoscalers (" + names(chosen) + "): name one");
      }
      chosen = targeting;
    }
    JsonNode doc = chosen.get(0);
    HpaSpec hpa =
        "ScaledObject".equals(doc.path("kind").asText())
            ? KedaTranslator.hpaSpec(doc, source)
            : hpaSpec(doc, source);
    Optional<Workload> workload =
        docs.stream()
            .filter(d -> "Deployment".equals(d.path("kind").asText()))
            .filter(d -> hpa.targetName().equals(nameOf(d)))
            .findFirst()
            .map(d -> workload(d, source));
    workload.ifPresent(w -> checkContainers(hpa, w, source));
    return new Manifest(hpa, workload);
  }

  private static String nameOf(JsonNode d) {
    return d.path("metadata").path("name").asText();
  }

  private static String names(List<JsonNode> docs) {
    return String.join(
        ", ", docs.stream().map(d -> d.path("kind").asText() + " " + nameOf(d)).toList());
  }

  private static void checkContainers(HpaSpec hpa, Workload w, String source) {
    for (MetricSpec m : hpa.metrics()) {
      if (m.container().isPresent() && !w.containers().containsKey(m.container().get())) {
        throw new IllegalArgumentException(
            source
                + ": HorizontalPodAutoscaler "
                + hpa.name()
                + " metric "
                + m.label()
                + ": Deployment "
                + hpa.targetName()
                + " has no container "
                + m.container().get()
                + " (it has "
                + String.join(", ", new TreeSet<>(w.containers().keySet()))
                + ")");
      }
    }
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
    List<MetricSpec> metrics = new ArrayList<>();
    if (spec.has("targetCPUUtilizationPercentage")) {
      metrics.add(MetricSpec.cpuUtilization(spec.path("targetCPUUtilizationPercentage").asInt()));
    } else if (!spec.path("metrics").isArray() || spec.path("metrics").isEmpty()) {
      metrics.add(MetricSpec.cpuUtilization(80)); // the API's default when no metric is given
    } else {
      int i = 0;
      for (JsonNode metric : spec.path("metrics")) {
        try {
          metrics.add(metric(metric));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              where + ": spec.metrics[" + i + "]: " + e.getMessage(), e);
        }
        i++;
      }
    }
    HpaSpec result;
    try {
      result =
          new HpaSpec(
              name,
              doc.path("metadata").path("namespace").asText(""),
              target,
              min,
              max,
              metrics,
              Optional.empty(),
              HpaSpec.ToleranceOverrides.NONE,
              Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    return withBehavior(result, spec.path("behavior"), where);
  }

  /** Applies {@code behavior} (rules and per-direction tolerances) when present. */
  static HpaSpec withBehavior(HpaSpec hpa, JsonNode behavior, String where) {
    if (!behavior.isObject()) {
      return hpa;
    }
    try {
      HpaSpec result =
          hpa.withBehavior(
              rules(behavior.path("scaleUp"), ScalingRules.defaultScaleUp()),
              rules(behavior.path("scaleDown"), ScalingRules.defaultScaleDown()));
      double down = tolerance(behavior.path("scaleDown"));
      double up = tolerance(behavior.path("scaleUp"));
      return Double.isNaN(down) && Double.isNaN(up) ? result : result.withTolerances(down, up);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": spec.behavior: " + e.getMessage(), e);
    }
  }

  /** {@code tolerance} is a Quantity ({@code 0.05}, {@code 50m}); NaN when absent. */
  private static double tolerance(JsonNode rules) {
    if (!rules.has("tolerance")) {
      return Double.NaN;
    }
    String text = rules.path("tolerance").asText();
    return Quantities.cpuMillicores(text) / 1000.0;
  }

  /** One {@code spec.metrics[]} entry. */
  static MetricSpec metric(JsonNode m) {
    String type = m.path("type").asText();
    MetricSpec.Source source =
        switch (type) {
          case "Resource" -> MetricSpec.Source.RESOURCE;
          case "ContainerResource" -> MetricSpec.Source.CONTAINER_RESOURCE;
          case "Pods" -> MetricSpec.Source.PODS;
          case "Object" -> MetricSpec.Source.OBJECT;
          case "External" -> MetricSpec.Source.EXTERNAL;
          default ->
              throw new IllegalArgumentException(
                  "unsupported metric source type '"
                      + type
                      + "' (Resource, ContainerResource, Pods, Object, External)");
        };
    JsonNode body =
        m.path(
            switch (source) {
              case RESOURCE -> "resource";
              case CONTAINER_RESOURCE -> "containerResource";
              case PODS -> "pods";
              case OBJECT -> "object";
              case EXTERNAL -> "external";
            });
    String name =
        source == MetricSpec.Source.RESOURCE || source == MetricSpec.Source.CONTAINER_RESOURCE
            ? body.path("name").asText("")
            : body.path("metric").path("name").asText("");
    Optional<String> container =
        source == MetricSpec.Source.CONTAINER_RESOURCE
            ? Optional.of(body.path("container").asText("")).filter(c -> !c.isEmpty())
            : Optional.empty();
    if (source == MetricSpec.Source.CONTAINER_RESOURCE && container.isEmpty()) {
      throw new IllegalArgumentException("ContainerResource metric " + name + " has no container");
    }
    JsonNode target = body.path("target");
    String targetType = target.path("type").asText();
    return switch (targetType) {
      case "Utilization" ->
          new MetricSpec(
              source,
              name,
              container,
              MetricSpec.TargetType.UTILIZATION,
              requiredInt(target, "averageUtilization", name));
      case "AverageValue" ->
          new MetricSpec(
              source,
              name,
              container,
              MetricSpec.TargetType.AVERAGE_VALUE,
              milliValue(target, "averageValue", name));
      case "Value" ->
          new MetricSpec(
              source,
              name,
              container,
              MetricSpec.TargetType.VALUE,
              milliValue(target, "value", name));
      default ->
          throw new IllegalArgumentException(
              type
                  + " metric "
                  + name
                  + ": target.type must be Utilization, AverageValue or Value, got '"
                  + targetType
                  + "'");
    };
  }

  private static int requiredInt(JsonNode target, String field, String metric) {
    if (!target.path(field).canConvertToInt()) {
      throw new IllegalArgumentException("metric " + metric + " has no target." + field);
    }
    return target.path(field).asInt();
  }

  /** A Quantity as the controller's {@code MilliValue()}. */
  static long milliValue(JsonNode target, String field, String metric) {
    if (!target.has(field)) {
      throw new IllegalArgumentException("metric " + metric + " has no target." + field);
    }
    return milliValue(target.path(field).asText(), "metric " + metric + " target." + field);
  }

  static long milliValue(String text, String what) {
    try {
      return Quantities.cpuMillicores(text);
    } catch (IllegalArgumentException e) {
      try {
        return Math.multiplyExact(Quantities.bytes(text), 1000L);
      } catch (IllegalArgumentException | ArithmeticException e2) {
        throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
      }
    }
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
    Map<String, Workload.ContainerRequests> byName = new HashMap<>();
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    for (JsonNode c : containers) {
      JsonNode res = c.path("resources");
      try {
        long ownCpu = 0;
        long ownMemory = 0;
        if (res.path("requests").has("cpu")) {
          ownCpu = Quantities.cpuMillicores(res.path("requests").path("cpu").asText());
        }
        if (res.path("requests").has("memory")) {
          ownMemory = Quantities.bytes(res.path("requests").path("memory").asText());
        }
        cpu += ownCpu;
        memory += ownMemory;
        byName.put(c.path("name").asText(), new Workload.ContainerRequests(ownCpu, ownMemory));
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
    return new Workload(cpu, memory, unlimited ? 0 : limit, byName);
  }

  /** How long {@code kubectl kustomize} may take before it is killed. */
  static final long KUSTOMIZE_TIMEOUT_SECONDS = 60;

  private static String kustomize(Path dir) {
    return run(
        List.of("kubectl", "kustomize", dir.toString()),
        KUSTOMIZE_TIMEOUT_SECONDS,
        "kubectl kustomize " + dir,
        dir
            + " is a directory: rendering it needs kubectl (with kustomize) on the PATH"
            + " (./bin/install-test-tools installs it)");
  }

  /**
   * Runs a command and returns its standard output. Standard error goes to a temporary file, so a
   * chatty child can never block on a full pipe while we read its output; the wait has a deadline,
   * and a child past it is destroyed (forcibly if it ignores the polite request).
   *
   * @throws IllegalArgumentException naming {@code what} when it cannot start, fails or times out
   */
  static String run(List<String> command, long timeoutSeconds, String what, String cannotStart) {
    Path errFile;
    try {
      errFile = Files.createTempFile("surge-cmd-", ".err");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file", e);
    }
    Process p;
    try {
      p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
    } catch (IOException e) {
      deleteQuietly(errFile);
      throw new IllegalArgumentException(
          cannotStart + ": " + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT), e);
    }
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = p.getInputStream()) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        destroy(p);
        throw new IllegalArgumentException(
            what + " did not finish within " + timeoutSeconds + "s; it was stopped");
      }
      byte[] bytes = out.get(timeoutSeconds, TimeUnit.SECONDS);
      if (p.exitValue() != 0) {
        String err = Files.readString(errFile, StandardCharsets.UTF_8).strip();
        throw new IllegalArgumentException(what + " failed (exit " + p.exitValue() + "): " + err);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      destroy(p);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      destroy(p);
      throw new IllegalStateException("cannot read the output of " + what + ": " + e, e);
    } finally {
      deleteQuietly(errFile);
    }
  }

  private static void destroy(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover empty temp file is harmless; the OS cleans its temp directory.
      file.toFile().deleteOnExit();
    }
  }
}
