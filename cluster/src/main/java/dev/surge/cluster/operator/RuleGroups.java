package dev.surge.cluster.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.hpa.ManifestDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule groups of a rendered {@code PrometheusRule} ({@code spec.groups}), extracted (never
 * copied) into what a Prometheus rule file holds, so the rules are kept in one place: the
 * PrometheusRule.
 *
 * <pre>{@code
 * RuleGroups rules = RuleGroups.fromObjects(ManifestDocuments.parse(yaml, "k8s/base"));
 * Path file = rules.writeRuleFile(dir.resolve("surge-rules.yaml"));
 * }</pre>
 */
public final class RuleGroups {
  private final ArrayNode groups;

  private RuleGroups(ArrayNode groups) {
    this.groups = groups;
  }

  /** The groups of {@code prometheusRule}; fails when it has none. */
  public static RuleGroups of(ObjectNode prometheusRule) {
    JsonNode groups = prometheusRule.path("spec").path("groups");
    if (!groups.isArray() || groups.isEmpty()) {
      throw new IllegalArgumentException(
          "PrometheusRule "
              + prometheusRule.path("metadata").path("name").asText()
              + " has no spec.groups");
    }
    return new RuleGroups((ArrayNode) groups.deepCopy());
  }

  /**
   * The groups of every PrometheusRule among {@code objects} (rendered manifests), in order: what
   * the operator puts into Prometheus' rule files.
   *
   * @throws IllegalArgumentException when there is no PrometheusRule with groups
   */
  public static RuleGroups fromObjects(List<ObjectNode> objects) {
    ArrayNode all = ManifestDocuments.YAML.createArrayNode();
    for (ObjectNode rule : ManifestDocuments.ofKind(objects, "PrometheusRule")) {
      rule.path("spec").path("groups").forEach(g -> all.add(g.deepCopy()));
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("the manifests have no PrometheusRule with spec.groups");
    }
    return new RuleGroups(all);
  }

  /** A copy of the groups, to read or to change (the test copy of the rules). */
  public ArrayNode groups() {
    return groups.deepCopy();
  }

  /** Every rule (recording and alerting) of every group, in file order. */
  public List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    groups.forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  /** The alerting rules, in file order. */
  public List<JsonNode> alerts() {
    return rules().stream().filter(r -> r.has("alert")).toList();
  }

  /** The recording rules, in file order. */
  public List<JsonNode> recordings() {
    return rules().stream().filter(r -> r.has("record")).toList();
  }

  /** Names of the recording rules, in file order. */
  public List<String> recordNames() {
    return recordings().stream().map(r -> r.path("record").asText()).toList();
  }

  /** Names of the alerting rules, in file order. */
  public List<String> alertNames() {
    return alerts().stream().map(r -> r.path("alert").asText()).toList();
  }

  /**
   * The label {@code label} of alert {@code alert} (e.g. its severity); fails when either is
   * missing.
   */
  public String alertLabel(String alert, String label) {
    JsonNode rule =
        alerts().stream()
            .filter(r -> alert.equals(r.path("alert").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no alert " + alert + " in the PrometheusRule, only " + alertNames()));
    JsonNode value = rule.path("labels").path(label);
    if (value.isMissingNode()) {
      throw new IllegalArgumentException("alert " + alert + " has no label " + label);
    }
    return value.asText();
  }

  /** The rule file exactly as shipped ({@code groups:} at the top). */
  public String asShipped() {
    return ruleFile(groups.deepCopy());
  }

  /** Writes {@link #asShipped()} to {@code file} and returns it. */
  public Path writeRuleFile(Path file) {
    try {
      Files.writeString(file, asShipped());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A rule file ({@code groups:} at the top) of {@code groups}, as YAML. */
  public static String ruleFile(ArrayNode groups) {
    ObjectNode root = ManifestDocuments.YAML.createObjectNode();
    root.set("groups", groups);
    try {
      return ManifestDocuments.YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write rule groups as YAML", e);
    }
  }
}
