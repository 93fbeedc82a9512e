package dev.surge.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one reader of multi-document Kubernetes YAML (a manifest file, {@code kubectl kustomize}
 * output): one tree per object, a {@code kind: List} flattened into its items, empty documents and
 * scalars skipped. Used by the HPA reader, the lab's pod template, the Prometheus Operator
 * emulation and the system tests.
 *
 * <pre>{@code
 * List<ObjectNode> objects = ManifestDocuments.parse(yaml, "k8s/base");
 * ObjectNode deployment = ManifestDocuments.find(objects, "Deployment", "surge").orElseThrow();
 * }</pre>
 */
public final class ManifestDocuments {
  /** The YAML mapper for manifests (thread-safe once configured, as Jackson's mappers are). */
  public static final YAMLMapper YAML = new YAMLMapper();

  private ManifestDocuments() {}

  /**
   * Every object of {@code yaml}, in document order.
   *
   * @throws IllegalArgumentException {@code "<source> is not valid YAML: ..."}
   */
  public static List<ObjectNode> parse(String yaml, String source) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc == null || !doc.isObject()) {
          continue;
        }
        if ("List".equals(doc.path("kind").asText()) && doc.path("items").isArray()) {
          doc.path("items").forEach(i -> add(docs, i));
        } else {
          docs.add((ObjectNode) doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
    }
    return docs;
  }

  private static void add(List<ObjectNode> docs, JsonNode item) {
    if (item.isObject()) {
      docs.add((ObjectNode) item);
    }
  }

  /** The objects of one kind, in order. */
  public static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  /** The object of {@code kind} named {@code name}, if there is one (the first). */
  public static Optional<ObjectNode> find(List<ObjectNode> docs, String kind, String name) {
    return ofKind(docs, kind).stream().filter(d -> name.equals(name(d))).findFirst();
  }

  /** {@code metadata.name}. */
  public static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }
}
