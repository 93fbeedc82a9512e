package dev.surge.app.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * A Prometheus summary of durations (exposed in seconds) whose quantiles cover a sliding window.
 * client_java's {@code Summary} takes one shared lock per observation and updates every age bucket,
 * which on a 2-core box halved the throughput of {@code /api/work?cpuMillis=0}; here an observation
 * is a plain HdrHistogram write and two plain adds in one of eight stripes (by thread), under that
 * stripe's own lock, and the window work happens at scrape time.
 *
 * <pre>{@code
 * WindowedSummary s = new WindowedSummary("surge_work_cpu_seconds", "help", List.of(0.5, 0.99), Duration.ofMinutes(2), 5);
 * registry.register(s);
 * s.observeNanos(12_000_000);
 * }</pre>
 *
 * <p>The window is {@code maxAge} split into {@code ageBuckets} slots that rotate as time passes;
 * observations are moved from the recorder into the current slot when a scrape runs, so the
 * window's edges are as precise as the scrape interval. {@code _count} and {@code _sum} are
 * cumulative, as Prometheus expects. Quantiles are accurate to three significant digits; with no
 * observation in the window they are NaN.
 *
 * <p>Concurrency contract: {@link #observeNanos} may be called from any number of threads at once;
 * it takes the lock of its thread's stripe (uncontended but for threads whose ids share a stripe,
 * held for one histogram write; no allocation unless a value beyond the histogram's range makes it
 * grow). The stripe's lock is an intrinsic one, two atomic instructions uncontended, against the
 * six of HdrHistogram's {@code Recorder} and two {@code LongAdder}s this replaced. {@link #collect}
 * is {@code synchronized}: concurrent scrapes take turns, and each sees a consistent window (the
 * slots and the rotation state are touched only under that lock); it holds each stripe's lock only
 * to swap the stripe's histogram for an empty one and read its count and sum, so an observation
 * lands in exactly one scrape, and {@code _count}, {@code _sum} and the quantiles of a scrape cover
 * the same observations.
 */
public final class WindowedSummary implements Collector {
  private static final int STRIPES = 8;

  private final String name;
  private final String help;
  private final List<Double> quantiles;
  private final long slotNanos;
  private final LongSupplier clock;
  // Striped by thread, so that request threads on different cores do not write the same histogram
  // and lock (a shared cache line per observation); merged at scrape time.
  private final Stripe[] stripes = new Stripe[STRIPES];
  private final Histogram[] slots;
  private int current; // guarded by this, as the slots and currentSlotEnd
  private long currentSlotEnd;
  private long count; // guarded by this: the stripes' counts and sums moved out so far
  private long sumNanos;

  /** One stripe: what its threads observed since the last scrape; every field under its lock. */
  private static final class Stripe {
    Histogram active = new Histogram(3);
    Histogram spare = new Histogram(3);
    long count;
    long sumNanos;
  }

  public WindowedSummary(
      String name, String help, List<Double> quantiles, Duration maxAge, int ageBuckets) {
    this(name, help, quantiles, maxAge, ageBuckets, System::nanoTime);
  }

  WindowedSummary(
      String name,
      String help,
      List<Double> quantiles,
      Duration maxAge,
      int ageBuckets,
      LongSupplier clock) {
    this.name = name;
    this.help = help;
    this.quantiles = List.copyOf(quantiles);
    this.slotNanos = maxAge.toNanos() / ageBuckets;
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
    this.slots = new Histogram[ageBuckets];
    for (int i = 0; i < ageBuckets; i++) {
      slots[i] = new Histogram(3);
    }
    this.currentSlotEnd = clock.getAsLong() + slotNanos;
  }

  /** Records one duration in nanoseconds. */
  public void observeNanos(long nanos) {
    long value = Math.max(0, nanos);
    // Thread ids are handed out in sequence, so a pool's threads spread over the stripes.
    Stripe stripe = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
    synchronized (stripe) {
      stripe.active.recordValue(value);
      stripe.count++;
      stripe.sumNanos += value;
    }
  }

  /**
   * Observations so far: at least every one that returned before this call. Safe from any thread.
   */
  public synchronized long count() {
    long total = count;
    for (Stripe stripe : stripes) {
      synchronized (stripe) {
        total += stripe.count;
      }
    }
    return total;
  }

  @Override
  public synchronized MetricSnapshot collect() {
    long now = clock.getAsLong();
    // Rotate past every slot that has ended; after a long quiet spell at most a full turn is
    // needed.
    for (int turned = 0; now >= currentSlotEnd; turned++) {
      if (turned < slots.length) {
        current = (current + 1) % slots.length;
        slots[current].reset();
      }
      currentSlotEnd += slotNanos;
    }
    for (Stripe stripe : stripes) {
      Histogram taken;
      synchronized (stripe) {
        taken = stripe.active;
        stripe.active = stripe.spare;
        stripe.spare = taken; // written again only after the next scrape's swap, under this lock
        count += stripe.count;
        sumNanos += stripe.sumNanos;
        stripe.count = 0;
        stripe.sumNanos = 0;
      }
      slots[current].add(taken);
      taken.reset();
    }
    Histogram window = new Histogram(3);
    for (Histogram slot : slots) {
      window.add(slot);
    }
    List<Quantile> values = new ArrayList<>(quantiles.size());
    for (double q : quantiles) {
      double seconds =
          window.getTotalCount() == 0
              ? Double.NaN
              : window.getValueAtPercentile(q * 100) / (double) TimeUnit.SECONDS.toNanos(1);
      values.add(new Quantile(q, seconds));
    }
    return SummarySnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(
            SummarySnapshot.SummaryDataPointSnapshot.builder()
                .count(count)
                .sum(sumNanos / 1e9)
                .quantiles(Quantiles.of(values))
                .build())
        .build();
  }
}
