package dev.surge.systest.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict schema validation of Kubernetes objects with the schemas of the kubernetes-models npm
 * packages (core API, prometheus-operator, KEDA, VPA), run by node: {@code
 * system-test/src/test/node/k8s-schemas/validate.mjs}. Rejects unknown fields, wrong types, missing
 * required fields and bad enum values.
 */
final class SchemaValidator {
  private SchemaValidator() {}

  /**
   * The errors of every object, by {@code Kind/namespace/name} (an empty list for a valid object),
   * in order.
   */
  static Map<String, List<String>> validate(List<? extends JsonNode> objects) {
    Path dir = RepoPaths.resolve("system-test/src/test/node/k8s-schemas");
    if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))) {
      throw new AssertionError(
          "the kubernetes-models npm packages are not installed in "
              + dir
              + ": run ./bin/install-test-tools");
    }
    Path node = Tools.require("node", "nodejs");
    Path input;
    try {
      input = Files.createTempFile("surge-objects", ".json");
      Kustomize.JSON.writeValue(input.toFile(), objects);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Commands.Result r =
          Commands.run(
              List.of(node.toString(), dir.resolve("validate.mjs").toString(), input.toString()),
              dir,
              Map.of(),
              Duration.ofSeconds(60));
      if (r.exitCode() != 0 && r.exitCode() != 1) {
        throw new AssertionError("the schema validator failed: " + r.describe());
      }
      Map<String, List<String>> result = new LinkedHashMap<>();
      int i = 0;
      for (String line : r.stdout().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry = Kustomize.JSON.readTree(line);
        List<String> errors = new ArrayList<>();
        entry.path("errors").forEach(e -> errors.add(e.asText()));
        // index keeps two objects with one id (e.g. from two overlays) apart
        result.put(i++ + " " + entry.path("id").asText(), errors);
      }
      if (result.size() != objects.size()) {
        throw new AssertionError(
            "the validator answered for "
                + result.size()
                + " of "
                + objects.size()
                + " objects: "
                + r.describe());
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(input);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }

  /** The errors of one object. */
  static List<String> errorsOf(JsonNode object) {
    return validate(List.of(object)).values().iterator().next();
  }
}
