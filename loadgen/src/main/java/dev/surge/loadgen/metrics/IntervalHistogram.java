package dev.surge.loadgen.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A classic-only Prometheus histogram fed whole HdrHistogram intervals: each distinct recorded
 * value adds its count to its bucket at once, so feeding an interval costs O(distinct values), not
 * one {@code observe} per response (client_java's {@code Histogram} has no weighted observe;
 * replaying every response was a per-request cost of the generator). The exposition is the same as
 * a classic-only client_java histogram's with these buckets: cumulative {@code _bucket}, {@code
 * _count} and {@code _sum}.
 *
 * <pre>{@code
 * IntervalHistogram h = new IntervalHistogram("surge_loadgen_latency_seconds", "help", BUCKETS, 1e-6);
 * registry.register(h);
 * h.add(interval.corrected()); // values in µs
 * }</pre>
 *
 * <p>Thread-safe: {@link #add} (the interval thread) and {@link #collect} (scrapes) take this
 * object's lock; a scrape sees whole intervals only.
 */
final class IntervalHistogram implements Collector {
  private final String name;
  private final String help;
  private final double[] bounds; // seconds, ascending, then +Inf
  private final double unitSeconds;
  private final long[] counts; // per bucket, not cumulative
  private double sum;

  /**
   * @param upperBounds the classic buckets in seconds, ascending ({@code +Inf} is added)
   * @param unitSeconds what one unit of the HdrHistogram values is in seconds (1e-6 for µs)
   */
  IntervalHistogram(String name, String help, double[] upperBounds, double unitSeconds) {
    this.name = name;
    this.help = help;
    this.bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
    this.bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    this.unitSeconds = unitSeconds;
    this.counts = new long[bounds.length];
  }

  /** Adds every value of {@code h} with its count. */
  synchronized void add(AbstractHistogram h) {
    for (HistogramIterationValue v : h.recordedValues()) {
      double seconds = v.getValueIteratedTo() * unitSeconds;
      long n = v.getCountAtValueIteratedTo();
      counts[bucket(seconds)] += n;
      sum += seconds * n;
    }
  }

  /** The first bucket whose upper bound is at least {@code seconds} (Prometheus's {@code le}). */
  private int bucket(double seconds) {
    int i = Arrays.binarySearch(bounds, seconds);
    return i >= 0 ? i : -i - 1;
  }

  @Override
  public synchronized MetricSnapshot collect() {
    return HistogramSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(
            HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts.clone()))
                .sum(sum)
                .build())
        .build();
  }
}
