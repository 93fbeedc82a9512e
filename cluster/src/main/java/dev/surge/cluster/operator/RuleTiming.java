package dev.surge.cluster.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test copy of a PrometheusRule's groups: every group evaluated every {@code
 * evaluationInterval} and every {@code for:} divided by {@code forDivisor} (at least 1 s), so that
 * a 15-minute hold becomes 15 seconds. Expressions, windows, labels and annotations stay exactly as
 * shipped.
 *
 * <pre>{@code
 * String yaml = RuleTiming.of(RuleGroups.fromObjects(objects), "1s", 60);
 * }</pre>
 */
public final class RuleTiming {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private RuleTiming() {}

  /**
   * The rule file of the test copy: every group's interval set, every {@code for:} divided by
   * {@code forDivisor}.
   */
  public static String of(RuleGroups rules, String evaluationInterval, int forDivisor) {
    ArrayNode copy = rules.groups();
    for (JsonNode group : copy) {
      ((ObjectNode) group).put("interval", evaluationInterval);
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("for")) {
          long seconds = Math.max(1, seconds(rule.path("for").asText()) / forDivisor);
          ((ObjectNode) rule).put("for", seconds + "s");
        }
      }
    }
    return RuleGroups.ruleFile(copy);
  }

  private static final Pattern RANGE_DURATION = Pattern.compile("\\[((?:\\d+(?:ms|[smhdwy]))+)");

  /**
   * The rules on a compressed clock: every range selector ({@code [5m]}), subquery range and {@code
   * for:} divided by {@code divisor} (at least 1 s), every group evaluated every {@code
   * evaluationInterval}. Burn-rate alerts compare rates over two windows with a threshold: both
   * windows shrink alike, so an alert means the same on the shorter clock ({@code 5m} becomes 25 s
   * with a divisor of 12). Names, thresholds, labels and annotations stay as shipped.
   */
  public static String compressed(RuleGroups rules, int divisor, String evaluationInterval) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be >= 1, got " + divisor);
    }
    ArrayNode copy = rules.groups();
    for (JsonNode group : copy) {
      ((ObjectNode) group).put("interval", evaluationInterval);
      for (JsonNode rule : group.path("rules")) {
        ObjectNode r = (ObjectNode) rule;
        if (r.has("for")) {
          r.put("for", Math.max(1, seconds(r.path("for").asText()) / divisor) + "s");
        }
        r.put("expr", compressRanges(r.path("expr").asText(), divisor));
      }
    }
    return RuleGroups.ruleFile(copy);
  }

  /** {@code rate(x[5m])} with divisor 12 is {@code rate(x[25s])}. */
  public static String compressRanges(String expr, int divisor) {
    Matcher m = RANGE_DURATION.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      long millis = millis(m.group(1));
      m.appendReplacement(out, "[" + Math.max(1000, millis / divisor) / 1000 + "s");
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A Prometheus duration ({@code 1h30m}, {@code 15m}, {@code 90s}) in whole seconds. */
  public static long seconds(String duration) {
    return millis(duration) / 1000;
  }

  /** A Prometheus duration in milliseconds. */
  static long millis(String duration) {
    Matcher m = DURATION_PART.matcher(duration);
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      millis +=
          switch (m.group(2)) {
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
    return millis;
  }
}
