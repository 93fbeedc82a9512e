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

  /** A Prometheus duration ({@code 1h30m}, {@code 15m}, {@code 90s}) in whole seconds. */
  public static long seconds(String duration) {
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
    return millis / 1000;
  }
}
