package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Kubernetes {@code metav1.LabelSelector} with the API's semantics: {@code matchLabels} and every
 * {@code matchExpressions} requirement ({@code In}, {@code NotIn}, {@code Exists}, {@code
 * DoesNotExist}) are ANDed; an empty selector ({@code {}}) selects everything; a null (absent)
 * selector selects nothing ({@code metav1.LabelSelectorAsSelector(nil)} is {@code
 * labels.Nothing()}). Where a null selector means something else (a Prometheus CR's namespace
 * selectors: "the CR's own namespace"), the caller handles {@link #isNull()}.
 *
 * <pre>{@code
 * LabelSelector s = LabelSelector.of(prometheus.at("/spec/serviceMonitorSelector"));
 * s.matches(Map.of("release", "prometheus"));
 * }</pre>
 *
 * <p>Immutable.
 */
final class LabelSelector {
  /** One requirement: {@code key op values}. */
  record Requirement(String key, String operator, List<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false; // the API server rejects other operators; an unknown one selects nothing
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case "In" ->
            values.size() == 1
                ? key + "=" + values.get(0)
                : key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key + " " + operator + " (" + String.join(",", values) + ")";
      };
    }
  }

  private static final LabelSelector NOTHING = new LabelSelector(true, List.of());

  private final boolean isNull;
  private final List<Requirement> requirements;

  private LabelSelector(boolean isNull, List<Requirement> requirements) {
    this.isNull = isNull;
    this.requirements = List.copyOf(requirements);
  }

  /** The null selector: selects nothing. */
  static LabelSelector nothing() {
    return NOTHING;
  }

  /** The selector in {@code node}; a missing or JSON-null node is the null selector. */
  static LabelSelector of(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NOTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    node.path("matchLabels")
        .properties()
        .forEach(e -> reqs.add(new Requirement(e.getKey(), "In", List.of(text(e)))));
    for (JsonNode expr : node.path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      reqs.add(new Requirement(expr.path("key").asText(), expr.path("operator").asText(), values));
    }
    return new LabelSelector(false, reqs);
  }

  /**
   * An equality-based selector string as {@code kubectl -l} takes it ({@code a=b,c=d}), for tests
   * and for callers that list with one.
   */
  static LabelSelector ofEqualities(String selector) {
    List<Requirement> reqs = new ArrayList<>();
    for (String part : selector.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || kv[0].isEmpty()) {
        throw new IllegalArgumentException("not an equality selector: " + selector);
      }
      reqs.add(new Requirement(kv[0], "In", List.of(kv[1])));
    }
    return new LabelSelector(false, reqs);
  }

  private static String text(Map.Entry<String, JsonNode> e) {
    return e.getValue().asText();
  }

  /** True for the null selector (absent, or JSON null). */
  boolean isNull() {
    return isNull;
  }

  /** True for the empty selector {@code {}}. */
  boolean selectsEverything() {
    return !isNull && requirements.isEmpty();
  }

  List<Requirement> requirements() {
    return requirements;
  }

  /** Whether an object with these labels is selected. */
  boolean matches(Map<String, String> labels) {
    if (isNull) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The label changes that make an object with {@code labels} selected: key to the value to set, or
   * to {@link Optional#empty()} for a label to remove. Empty (no changes) when it already matches;
   * {@link Optional#empty()} when no labels can (the null selector, {@code In ()}, or requirements
   * that contradict each other).
   */
  Optional<Map<String, Optional<String>>> changesToMatch(Map<String, String> labels) {
    if (isNull) {
      return Optional.empty();
    }
    Map<String, String> wanted = new LinkedHashMap<>(labels);
    for (Requirement r : requirements) {
      if (r.matches(wanted)) {
        continue;
      }
      switch (r.operator()) {
        case "In" -> {
          if (r.values().isEmpty()) {
            return Optional.empty();
          }
          wanted.put(r.key(), r.values().get(0));
        }
        case "Exists" -> wanted.put(r.key(), "true");
        case "NotIn", "DoesNotExist" -> wanted.remove(r.key());
        default -> {
          return Optional.empty();
        }
      }
    }
    if (!matches(wanted)) {
      return Optional.empty();
    }
    Map<String, Optional<String>> changes = new LinkedHashMap<>();
    wanted.forEach(
        (k, v) -> {
          if (!v.equals(labels.get(k))) {
            changes.put(k, Optional.of(v));
          }
        });
    labels.keySet().stream()
        .filter(k -> !wanted.containsKey(k))
        .forEach(k -> changes.put(k, Optional.empty()));
    return Optional.of(changes);
  }

  /**
   * As a user reads it: {@code nothing (null)}, {@code everything ({})}, or {@code release=kps}.
   */
  @Override
  public String toString() {
    if (isNull) {
      return "nothing (null selector)";
    }
    if (requirements.isEmpty()) {
      return "everything ({})";
    }
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(", "));
  }
}
