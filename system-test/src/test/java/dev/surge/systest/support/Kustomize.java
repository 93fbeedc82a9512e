package dev.surge.systest.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Renders a kustomization with the real {@code kubectl kustomize} and parses the multi-document
 * YAML into Jackson trees, one per object.
 *
 * <pre>{@code
 * List<ObjectNode> objects = Kustomize.render(RepoPaths.resolve("k8s/overlays/demo"));
 * ObjectNode deployment = Kustomize.one(objects, "Deployment", "surge");
 * }</pre>
 */
public final class Kustomize {
  /** The YAML mapper used for manifests (also handy for reading other YAML in tests). */
  public static final YAMLMapper YAML = ManifestDocuments.YAML;

  /** A JSON mapper for writing trees out (e.g. to a validator). */
  public static final ObjectMapper JSON = new ObjectMapper();

  private Kustomize() {}

  /**
   * The rendered YAML text of the kustomization in {@code dir}; fails with kubectl's message when
   * it does not build.
   */
  public static String renderText(Path dir) {
    if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
      throw new AssertionError(dir + " has no kustomization.yaml");
    }
    Path kubectl = Tools.require("kubectl", "kubectl");
    // --load-restrictor none is not used: every overlay must build with kustomize's default
    // restrictions.
    Commands.Result result = Commands.run(List.of(kubectl.toString(), "kustomize", dir.toString()));
    if (result.exitCode() != 0) {
      throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + result.stderr());
    }
    return result.stdout();
  }

  /** The objects the kustomization in {@code dir} renders to, in kubectl's output order. */
  public static List<ObjectNode> render(Path dir) {
    return parseAll(renderText(dir));
  }

  /** Parses multi-document YAML into one tree per object (the shared reader). */
  public static List<ObjectNode> parseAll(String yaml) {
    return ManifestDocuments.parse(yaml, "rendered YAML");
  }

  /** Reads one YAML file into a tree. */
  public static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read YAML " + file, e);
    }
  }

  /** Objects of one kind. */
  public static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream().filter(kind(kind)).toList();
  }

  /**
   * The single object of {@code kind} named {@code name}; fails listing what was rendered when
   * absent.
   */
  public static ObjectNode one(List<ObjectNode> objects, String kind, String name) {
    return find(objects, kind, name)
        .orElseThrow(
            () -> new AssertionError("no " + kind + "/" + name + " among " + describe(objects)));
  }

  /** The object of {@code kind} named {@code name}, if rendered. */
  public static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream()
        .filter(kind(kind).and(o -> name.equals(o.path("metadata").path("name").asText())))
        .findFirst();
  }

  /** {@code Kind/name} of every object, for messages. */
  public static List<String> describe(List<ObjectNode> objects) {
    return objects.stream().map(Kustomize::id).toList();
  }

  /** {@code Kind/namespace/name} of one object. */
  public static String id(JsonNode object) {
    String ns = object.path("metadata").path("namespace").asText("");
    return object.path("kind").asText()
        + "/"
        + (ns.isEmpty() ? "" : ns + "/")
        + object.path("metadata").path("name").asText();
  }

  private static Predicate<ObjectNode> kind(String kind) {
    return o -> kind.equals(o.path("kind").asText());
  }
}
