package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the common fields of a Kubernetes object in its JSON form. */
final class K8s {
  private K8s() {}

  static String kind(JsonNode obj) {
    return obj.path("kind").asText();
  }

  static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asText();
  }

  /** {@code metadata.namespace}, or {@code fallback} when it has none. */
  static String namespace(JsonNode obj, String fallback) {
    String ns = obj.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? fallback : ns;
  }

  /** The API group of {@code apiVersion} ({@code ""} for the core group's {@code v1}). */
  static String group(JsonNode obj) {
    String apiVersion = obj.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The version part of {@code apiVersion}. */
  static String version(JsonNode obj) {
    String apiVersion = obj.path("apiVersion").asText();
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  static Map<String, String> labels(JsonNode obj) {
    return strings(obj.path("metadata").path("labels"));
  }

  static Map<String, String> annotations(JsonNode obj) {
    return strings(obj.path("metadata").path("annotations"));
  }

  /** A JSON object of strings as a map, in order. */
  static Map<String, String> strings(JsonNode node) {
    Map<String, String> m = new LinkedHashMap<>();
    node.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /** {@code namespace/name}, or {@code name} for a cluster-scoped object. */
  static String ref(JsonNode obj, String fallbackNamespace) {
    String ns = namespace(obj, fallbackNamespace);
    return ns == null || ns.isEmpty() ? name(obj) : ns + "/" + name(obj);
  }
}
