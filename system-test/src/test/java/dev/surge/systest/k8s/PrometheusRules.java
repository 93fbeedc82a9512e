package dev.surge.systest.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Kustomize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule groups of the PrometheusRule {@code surge} exactly as the demo overlay renders it, extracted into a plain
 * Prometheus rule file for promtool (the rules are kept in one place: the PrometheusRule).
 */
final class PrometheusRules {
  private PrometheusRules() {}

  static ObjectNode prometheusRule() {
    return Kustomize.one(Manifests.demo(), "PrometheusRule", "surge");
  }

  /** Every rule (recording and alerting) of every group. */
  static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    prometheusRule().path("spec").path("groups").forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  static List<JsonNode> alerts() {
    return rules().stream().filter(r -> r.has("alert")).toList();
  }

  static List<JsonNode> recordings() {
    return rules().stream().filter(r -> r.has("record")).toList();
  }

  /** Writes {@code groups:} of the PrometheusRule to {@code file} (YAML) and returns it. */
  static Path writeRuleFile(Path file) {
    ObjectNode root = Kustomize.YAML.createObjectNode();
    root.set("groups", prometheusRule().path("spec").path("groups").deepCopy());
    try {
      Files.writeString(file, Kustomize.YAML.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
