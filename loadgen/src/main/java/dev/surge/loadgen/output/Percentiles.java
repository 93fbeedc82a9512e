package dev.surge.loadgen.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds, read from a histogram of microseconds. The summary carries
 * all fields; the per-interval entries leave out p95, p999 and mean (null, not written).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Percentiles(
    long count,
    double p50,
    double p90,
    Double p95,
    double p99,
    Double p999,
    double max,
    Double mean) {

  /** All percentiles of a histogram (the summary form). */
  public static Percentiles full(Histogram h) {
    return new Percentiles(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(95)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        h.getTotalCount() == 0 ? 0.0 : round(h.getMean() / 1000.0));
  }

  /** p50, p90, p99 and max of a histogram (the per-interval form). */
  public static Percentiles brief(Histogram h) {
    return new Percentiles(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        null,
        ms(h.getValueAtPercentile(99)),
        null,
        ms(h.getMaxValue()),
        null);
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  /** Rounds to 3 decimals, the precision of every figure in the result file. */
  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
