package dev.surge.systest.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule groups of a rendered {@code PrometheusRule}, extracted (never copied) into a Prometheus rule file — and
 * the test copy of them: every group evaluated every {@code evaluationInterval} and every {@code for:} divided by
 * {@code forDivisor} (at least 1 s), so that a 15-minute hold becomes 15 seconds. Expressions, windows, labels and
 * annotations stay exactly as shipped.
 *
 * <pre>{@code
 * PrometheusRules rules = PrometheusRules.of(Kustomize.one(objects, "PrometheusRule", "surge"));
 * String yaml = rules.testCopy("1s", 60);
 * }</pre>
 */
public final class PrometheusRules {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private final JsonNode groups;

  private PrometheusRules(JsonNode groups) {
    this.groups = groups;
  }

  /** The groups of {@code prometheusRule} ({@code spec.groups}); fails when there are none. */
  public static PrometheusRules of(ObjectNode prometheusRule) {
    JsonNode groups = prometheusRule.path("spec").path("groups");
    if (!groups.isArray() || groups.isEmpty()) {
      throw new AssertionError("PrometheusRule " + prometheusRule.path("metadata").path("name").asText() + " has no spec.groups");
    }
    return new PrometheusRules(groups.deepCopy());
  }

  /** The rule file exactly as shipped ({@code groups:} at the top). */
  public String asShipped() {
    return yaml(groups.deepCopy());
  }

  /** The test copy: every group's interval set, every {@code for:} divided by {@code forDivisor}. */
  public String testCopy(String evaluationInterval, int forDivisor) {
    JsonNode copy = groups.deepCopy();
    for (JsonNode group : copy) {
      ((ObjectNode) group).put("interval", evaluationInterval);
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("for")) {
          long seconds = Math.max(1, seconds(rule.path("for").asText()) / forDivisor);
          ((ObjectNode) rule).put("for", seconds + "s");
        }
      }
    }
    return yaml(copy);
  }

  /** Names of the recording rules, in file order. */
  public List<String> recordNames() {
    return names("record");
  }

  /** Names of the alerting rules, in file order. */
  public List<String> alertNames() {
    return names("alert");
  }

  /** The label {@code label} of alert {@code alert} (e.g. its severity); fails when either is missing. */
  public String alertLabel(String alert, String label) {
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        if (alert.equals(rule.path("alert").asText())) {
          JsonNode value = rule.path("labels").path(label);
          if (value.isMissingNode()) {
            throw new AssertionError("alert " + alert + " has no label " + label);
          }
          return value.asText();
        }
      }
    }
    throw new AssertionError("no alert " + alert + " in the PrometheusRule, only " + alertNames());
  }

  /** A Prometheus duration ({@code 1h30m}, {@code 15m}, {@code 90s}) in whole seconds. */
  static long seconds(String duration) {
    Matcher m = DURATION_PART.matcher(duration);
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      millis += switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        case "d" -> n * 86_400_000;
        case "w" -> n * 604_800_000;
        default -> n * 31_536_000_000L;
      };
      end = m.end();
    }
    if (end == 0 || end != duration.length()) {
      throw new IllegalArgumentException("not a Prometheus duration: '" + duration + "'");
    }
    return millis / 1000;
  }

  private List<String> names(String field) {
    List<String> names = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has(field)) {
          names.add(rule.path(field).asText());
        }
      }
    }
    return names;
  }

  private static String yaml(JsonNode groups) {
    ObjectNode root = YAML.createObjectNode();
    root.set("groups", groups);
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write rule groups as YAML", e);
    }
  }
}
