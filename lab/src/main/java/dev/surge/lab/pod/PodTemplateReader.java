package dev.surge.lab.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.Quantities;
import dev.surge.hpa.ManifestDocuments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the pod template of the HPA's Deployment from the same YAML {@code plan} and {@code
 * simulate} read (rendered by {@code ManifestReader.render}): the container's args and {@code
 * JAVA_TOOL_OPTIONS}, CPU and memory requests, the memory limit, the startup and readiness probes
 * and the termination grace period.
 *
 * <p>The lab sets the ports, the bind address and the instance name itself, so those args are
 * replaced; an arg whose value is an absolute path that does not exist here (a mounted secret such
 * as a token file) is left out and reported in {@link PodTemplate#dropped()}.
 */
public final class PodTemplateReader {
  private static final Set<String> SET_BY_LAB =
      Set.of("--port", "--metrics-port", "--host", "--instance");
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateReader() {}

  /**
   * The template of Deployment {@code name} in {@code yaml}.
   *
   * @throws IllegalArgumentException naming {@code source} when the Deployment is absent or
   *     unusable
   */
  public static PodTemplate read(String yaml, String source, String name) {
    JsonNode deployment =
        ManifestDocuments.find(ManifestDocuments.parse(yaml, source), "Deployment", name)
            .orElse(null);
    if (deployment == null) {
      throw new IllegalArgumentException(
          source + " has no Deployment " + name + " (the HPA's scaleTargetRef)");
    }
    JsonNode podSpec = deployment.path("spec").path("template").path("spec");
    JsonNode containers = podSpec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw new IllegalArgumentException(source + ": Deployment " + name + " has no containers");
    }
    JsonNode app = containers.get(0);
    long cpu = 0;
    long memory = 0;
    long memoryLimit = 0;
    for (JsonNode c : containers) {
      JsonNode res = c.path("resources");
      String where = source + ": Deployment " + name + " container " + c.path("name").asText();
      cpu += quantity(where, res.path("requests").path("cpu"), true);
      memory += quantity(where, res.path("requests").path("memory"), false);
      memoryLimit += quantity(where, res.path("limits").path("memory"), false);
    }
    if (cpu <= 0) {
      throw new IllegalArgumentException(
          source + ": Deployment " + name + " has no CPU request; the HPA cannot work without one");
    }
    String javaToolOptions = "";
    for (JsonNode env : app.path("env")) {
      if ("JAVA_TOOL_OPTIONS".equals(env.path("name").asText())) {
        javaToolOptions = env.path("value").asText("");
      }
    }
    List<String> args = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    filterArgs(app.path("args"), args, dropped);
    Probe readiness =
        probe(app.path("readinessProbe"), new Probe("/readyz", 10, 1, 3), source, name);
    Probe startup = probe(app.path("startupProbe"), null, source, name);
    Probe liveness = probe(app.path("livenessProbe"), null, source, name);
    return new PodTemplate(
        name,
        templateHash(deployment.path("spec").path("template").toString()),
        javaToolOptions,
        args,
        dropped,
        cpu,
        memory,
        memoryLimit,
        startup,
        readiness,
        liveness,
        podSpec.path("terminationGracePeriodSeconds").asDouble(30));
  }

  private static long quantity(String where, JsonNode node, boolean cpu) {
    if (node.isMissingNode() || node.isNull()) {
      return 0;
    }
    try {
      return cpu ? Quantities.cpuMillicores(node.asText()) : Quantities.bytes(node.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  static void filterArgs(JsonNode node, List<String> kept, List<String> dropped) {
    List<String> raw = new ArrayList<>();
    node.forEach(a -> raw.add(a.asText()));
    for (int i = 0; i < raw.size(); i++) {
      String a = raw.get(i);
      String flag = a;
      String value = null;
      int eq = a.indexOf('=');
      boolean inline = a.startsWith("--") && eq > 0;
      if (inline) {
        flag = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (a.startsWith("--") && i + 1 < raw.size() && !raw.get(i + 1).startsWith("--")) {
        value = raw.get(i + 1);
      }
      int consumed = inline || value == null ? 1 : 2;
      List<String> pair = raw.subList(i, i + consumed);
      if (SET_BY_LAB.contains(flag)) {
        i += consumed - 1;
        continue;
      }
      if (value != null && value.startsWith("/") && !Files.exists(Path.of(value))) {
        dropped.addAll(pair);
      } else {
        kept.addAll(pair);
      }
      i += consumed - 1;
    }
  }

  private static Probe probe(JsonNode node, Probe absent, String source, String name) {
    if (!node.isObject()) {
      return absent;
    }
    String path = node.path("httpGet").path("path").asText("");
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": Deployment " + name + ": only httpGet probes are run by the lab");
    }
    return new Probe(
        path,
        node.path("periodSeconds").asDouble(10),
        node.path("timeoutSeconds").asDouble(1),
        node.path("failureThreshold").asInt(3));
  }

  /**
   * A pod-template-hash as the Deployment controller writes it: FNV-1a (32 bit) of the template,
   * its decimal digits mapped onto the alphabet Kubernetes uses for generated names.
   */
  static String templateHash(String template) {
    int h = 0x811c9dc5;
    for (byte b : template.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    String digits = Long.toString(Integer.toUnsignedLong(h));
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      s.append(SAFE_ALPHABET.charAt(digits.charAt(i) % SAFE_ALPHABET.length()));
    }
    return s.toString();
  }

  /** Five random characters of the generated-name alphabet, as a ReplicaSet's pod names end. */
  static String suffix(java.util.Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(SAFE_ALPHABET.charAt(random.nextInt(SAFE_ALPHABET.length())));
    }
    return s.toString();
  }
}
