package dev.surge.app.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The request counter ({@code surge_http_requests_total}: method, route, status) and the request
 * duration histogram ({@code surge_http_request_duration_seconds}: route, status class, classic
 * buckets only), accumulated in striped cells and written out by client_java at scrape time as a
 * {@link CounterSnapshot} and a {@link HistogramSnapshot}: the names, help, labels, buckets, types
 * and {@code _created} are those the client_java {@code Counter} and {@code Histogram} they replace
 * exposed ({@code RequestSeriesTest} compares the two expositions).
 *
 * <p>Why not client_java's own: one request through them was a {@code LongAdder} and a {@code
 * DoubleAdder} for the counter, and for the histogram a shared observation count, a lambda, a
 * {@code LongAdder} bucket, a {@code DoubleAdder} sum (a compare-and-set loop), a {@code LongAdder}
 * count and an {@code AtomicBoolean}. Here a request is three atomic adds to cells of its thread's
 * stripe: its counter cell, its bucket and its sum (in nanoseconds, a long, so no compare-and-set
 * loop); the histogram's count is the sum of its buckets, computed at scrape.
 *
 * <pre>{@code
 * RequestSeries series = new RequestSeries(counterHelp, histogramHelp, bounds, 1000, 66);
 * registry.register(series);
 * int counter = series.counter("GET", "/api/work", "200");
 * int histogram = series.histogram("/api/work", "2xx");
 * series.observe(counter, histogram, 1_200_000); // 1.2 ms
 * }</pre>
 *
 * <p>Concurrency contract: {@link #observe} may be called from any number of threads at once; it
 * takes no lock and allocates nothing (three {@link AtomicLongArray} adds in the stripe chosen by
 * the thread's id, so threads on different cores mostly write different cache lines). {@link
 * #counter} and {@link #histogram} (a label set's first use, a cold path) take this object's lock;
 * the cell index they return may be used from any thread (the collector publishes a label set
 * through a volatile count after its cells exist). {@link #collect} may run at any time, from any
 * thread, concurrently with observations: every cell only grows, and a scrape reads each cell once,
 * so a series never goes down between scrapes; a histogram's {@code _count} is the sum of the
 * bucket values that same scrape read, so {@code _count} equals the {@code +Inf} bucket and no
 * bucket exceeds it, in every scrape. An observation racing a scrape may be in its counter and not
 * yet in its histogram (or in its bucket and not yet in {@code _sum}); the next scrape has all of
 * it.
 */
public final class RequestSeries implements MultiCollector {
  static final String COUNTER_NAME = "surge_http_requests";
  static final String HISTOGRAM_NAME = "surge_http_request_duration_seconds";
  private static final int STRIPES = 8;

  private final MetricMetadata counterMetadata;
  private final MetricMetadata histogramMetadata;
  private final double[] upperBounds; // with +Inf last, as the exposition lists them
  private final long[] upperNanos; // without +Inf
  private final int slotsPerHistogram; // buckets (with +Inf), then the sum in nanoseconds
  private final int maxCounters;
  private final int maxHistograms;
  private final AtomicLongArray[] stripes = new AtomicLongArray[STRIPES];
  private final LongSupplier wallClockMillis;

  // Label sets in the order they were created; entries [0, count) are published by the volatile
  // count, written under this object's lock.
  private final Labels[] counterLabels;
  private final long[] counterCreated;
  private final Labels[] histogramLabels;
  private final long[] histogramCreated;
  private volatile int counters;
  private volatile int histograms;
  private final Map<Labels, Integer> counterIndex = new HashMap<>(); // guarded by this
  private final Map<Labels, Integer> histogramIndex = new HashMap<>(); // guarded by this

  /**
   * @param upperBoundsSeconds the classic buckets' upper bounds, ascending, without {@code +Inf}
   * @param maxCounters most counter label sets ({@link #counter} refuses more)
   * @param maxHistograms most histogram label sets
   */
  public RequestSeries(
      String counterHelp,
      String histogramHelp,
      double[] upperBoundsSeconds,
      int maxCounters,
      int maxHistograms) {
    this(
        counterHelp,
        histogramHelp,
        upperBoundsSeconds,
        maxCounters,
        maxHistograms,
        System::currentTimeMillis);
  }

  RequestSeries(
      String counterHelp,
      String histogramHelp,
      double[] upperBoundsSeconds,
      int maxCounters,
      int maxHistograms,
      LongSupplier wallClockMillis) {
    this.counterMetadata = new MetricMetadata(COUNTER_NAME, counterHelp);
    this.histogramMetadata = new MetricMetadata(HISTOGRAM_NAME, histogramHelp);
    this.upperNanos = new long[upperBoundsSeconds.length];
    this.upperBounds = new double[upperBoundsSeconds.length + 1];
    for (int i = 0; i < upperBoundsSeconds.length; i++) {
      if (i > 0 && upperBoundsSeconds[i] <= upperBoundsSeconds[i - 1]) {
        throw new IllegalArgumentException("bucket bounds must ascend: " + upperBoundsSeconds[i]);
      }
      upperBounds[i] = upperBoundsSeconds[i];
      // Exact for the bounds used here (whole nanoseconds): a duration of n ns falls in the bucket
      // whose bound b has n <= b * 1e9, as client_java's n / 1e9 <= b does.
      upperNanos[i] = Math.round(upperBoundsSeconds[i] * 1e9);
    }
    upperBounds[upperBoundsSeconds.length] = Double.POSITIVE_INFINITY;
    this.slotsPerHistogram = upperBounds.length + 1;
    this.maxCounters = maxCounters;
    this.maxHistograms = maxHistograms;
    this.wallClockMillis = wallClockMillis;
    this.counterLabels = new Labels[maxCounters];
    this.counterCreated = new long[maxCounters];
    this.histogramLabels = new Labels[maxHistograms];
    this.histogramCreated = new long[maxHistograms];
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new AtomicLongArray(maxCounters + maxHistograms * slotsPerHistogram);
    }
  }

  /** The cell of the counter label set (method, route, status), created on first use. */
  public synchronized int counter(String method, String route, String status) {
    Labels labels = Labels.of("method", method, "route", route, "status", status);
    Integer known = counterIndex.get(labels);
    if (known != null) {
      return known;
    }
    int index = counters;
    if (index == maxCounters) {
      throw new IllegalStateException("more than " + maxCounters + " request counter label sets");
    }
    counterLabels[index] = labels;
    counterCreated[index] = wallClockMillis.getAsLong();
    counterIndex.put(labels, index);
    counters = index + 1; // publishes the entry
    return index;
  }

  /** The first cell of the histogram label set (route, status class), created on first use. */
  public synchronized int histogram(String route, String statusClass) {
    Labels labels = Labels.of("route", route, "status", statusClass);
    Integer known = histogramIndex.get(labels);
    if (known != null) {
      return cell(known);
    }
    int index = histograms;
    if (index == maxHistograms) {
      throw new IllegalStateException(
          "more than " + maxHistograms + " request histogram label sets");
    }
    histogramLabels[index] = labels;
    histogramCreated[index] = wallClockMillis.getAsLong();
    histogramIndex.put(labels, index);
    histograms = index + 1; // publishes the entry
    return cell(index);
  }

  private int cell(int histogramIndex) {
    return maxCounters + histogramIndex * slotsPerHistogram;
  }

  /**
   * Counts one request in {@code counter} and observes its duration in {@code histogram} (cells
   * from {@link #counter} and {@link #histogram}). Lock-free and allocation-free.
   */
  public void observe(int counter, int histogram, long durationNanos) {
    long nanos = Math.max(0, durationNanos);
    AtomicLongArray cells = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
    cells.getAndIncrement(counter);
    int bucket = 0;
    long[] bounds = upperNanos;
    while (bucket < bounds.length && nanos > bounds[bucket]) {
      bucket++;
    }
    cells.getAndIncrement(histogram + bucket);
    cells.getAndAdd(histogram + slotsPerHistogram - 1, nanos);
  }

  private long read(int cell) {
    long sum = 0;
    for (AtomicLongArray stripe : stripes) {
      sum += stripe.get(cell);
    }
    return sum;
  }

  @Override
  public MetricSnapshots collect() {
    int counterCount = counters;
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(COUNTER_NAME);
    counter.help(counterMetadata.getHelp());
    for (int i = 0; i < counterCount; i++) {
      counter.dataPoint(
          new CounterSnapshot.CounterDataPointSnapshot(
              read(i), counterLabels[i], null, counterCreated[i]));
    }
    int histogramCount = histograms;
    HistogramSnapshot.Builder histogram =
        HistogramSnapshot.builder().name(HISTOGRAM_NAME).help(histogramMetadata.getHelp());
    for (int i = 0; i < histogramCount; i++) {
      int first = cell(i);
      long[] buckets = new long[upperBounds.length];
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] = read(first + b);
      }
      histogram.dataPoint(
          new HistogramSnapshot.HistogramDataPointSnapshot(
              ClassicHistogramBuckets.of(upperBounds, buckets),
              read(first + slotsPerHistogram - 1) / 1e9,
              histogramLabels[i],
              Exemplars.EMPTY,
              histogramCreated[i]));
    }
    return new MetricSnapshots(counter.build(), histogram.build());
  }

  /** What the registry checks registrations against: the two families, types and label names. */
  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return List.of(
        MetricFamilyDescriptor.of(
            MetricType.COUNTER, counterMetadata, List.of("method", "route", "status")),
        MetricFamilyDescriptor.of(
            MetricType.HISTOGRAM, histogramMetadata, List.of("route", "status")));
  }
}
