package dev.surge.loadgen.check;

import dev.surge.common.Durations;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.RunResult.Summary;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One condition on the figures of a run, e.g. {@code p99<250ms}, {@code errors<1%}, {@code
 * achievedRate>=95%}.
 *
 * <p>Grammar: {@code METRIC OP VALUE} with OP one of {@code < <= > >=} and METRIC one of
 *
 * <ul>
 *   <li>{@code p50 p90 p95 p99 p999 max mean} — corrected latency (from the intended send time);
 *       prefix {@code uncorrected.} for the latency from the actual send. VALUE is a duration:
 *       {@code 250ms}, {@code 1.5s}.
 *   <li>{@code errors dropped late} — VALUE {@code 1%} is a share of all requests, a bare number a
 *       count.
 *   <li>{@code achievedRate} — VALUE {@code 95%} is a share of the target rate, a bare number
 *       requests/s.
 *   <li>{@code requests ok} — counts.
 * </ul>
 *
 * <pre>{@code
 * Threshold t = Threshold.parse("p99<250ms");
 * boolean ok = t.holds(summary);
 * }</pre>
 */
public record Threshold(String text, String metric, String op, double value, boolean percent) {
  private static final Pattern FORM = Pattern.compile("([a-zA-Z.0-9]+)\\s*(<=|>=|<|>)\\s*(\\S+)");
  private static final String METRICS =
      "p50, p90, p95, p99, p999, max, mean (optionally uncorrected.p99 ...), errors, dropped, late, achievedRate,"
          + " requests, ok";

  /**
   * Parses a threshold.
   *
   * @throws IllegalArgumentException naming the text and what is wrong
   */
  public static Threshold parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a threshold (METRIC OP VALUE, e.g. p99<250ms, errors<1%, achievedRate>=95%)");
    }
    String metric = m.group(1);
    String op = m.group(2);
    String v = m.group(3);
    String base =
        metric.startsWith("uncorrected.") ? metric.substring("uncorrected.".length()) : metric;
    try {
      switch (base) {
        case "p50", "p90", "p95", "p99", "p999", "max", "mean" -> {
          return new Threshold(t, metric, op, Durations.parseSeconds(v) * 1000.0, false);
        }
        case "errors", "dropped", "late", "achievedRate", "requests", "ok" -> {
          if (!base.equals(metric)) {
            throw new IllegalArgumentException("only latency metrics take the uncorrected. prefix");
          }
          boolean pct = v.endsWith("%");
          if (pct && (base.equals("requests") || base.equals("ok"))) {
            throw new IllegalArgumentException(base + " takes a count, not a percentage");
          }
          double value = Double.parseDouble(pct ? v.substring(0, v.length() - 1) : v);
          if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value must be a number >= 0");
          }
          return new Threshold(t, metric, op, value, pct);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown metric '" + metric + "' (metrics: " + METRICS + ")");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': '" + v + "' is not a number", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  /** The measured value this threshold compares, in its unit (ms, %, count or requests/s). */
  public double actual(Summary s) {
    boolean uncorrected = metric.startsWith("uncorrected.");
    Percentiles p = uncorrected ? s.latencyMillis().uncorrected() : s.latencyMillis().corrected();
    String base = uncorrected ? metric.substring("uncorrected.".length()) : metric;
    return switch (base) {
      case "p50" -> p.p50();
      case "p90" -> p.p90();
      case "p95" -> p.p95() == null ? p.p99() : p.p95();
      case "p99" -> p.p99();
      case "p999" -> p.p999() == null ? p.max() : p.p999();
      case "max" -> p.max();
      case "mean" -> p.mean() == null ? 0 : p.mean();
      case "errors" -> share(s.errors(), s.requests());
      case "dropped" -> share(s.dropped(), s.requests());
      case "late" -> share(s.late(), s.requests());
      case "requests" -> s.requests();
      case "ok" -> s.ok();
      case "achievedRate" ->
          percent
              ? (s.targetRate() > 0
                  ? Percentiles.round(100.0 * s.achievedRate() / s.targetRate())
                  : 100.0)
              : s.achievedRate();
      default -> throw new IllegalStateException("unknown metric " + metric);
    };
  }

  private double share(long part, long whole) {
    if (!percent) {
      return part;
    }
    return whole == 0 ? 0 : Math.round(100_000.0 * part / whole) / 1000.0;
  }

  /** Whether the condition holds for these figures. */
  public boolean holds(Summary s) {
    double a = actual(s);
    return switch (op) {
      case "<" -> a < value;
      case "<=" -> a <= value;
      case ">" -> a > value;
      default -> a >= value;
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s", text);
  }
}
