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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A Prometheus summary of durations (exposed in seconds) whose quantiles cover a sliding window,
 * recorded wait-free. client_java's {@code Summary} takes a lock per observation and updates every
 * age bucket, which on a 2-core box halved the throughput of {@code /api/work?cpuMillis=0}; here an
 * observation is an HdrHistogram {@link Recorder} write (one of eight, by thread) plus two adders,
 * and the window work happens at scrape time.
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
 * <p>Concurrency contract (as HdrHistogram's {@code Recorder}): {@link #observeNanos} may be called
 * from any number of threads at once and is wait-free (a recorder write and two {@code LongAdder}
 * increments; no lock, no allocation). {@link #collect} is {@code synchronized}: concurrent scrapes
 * take turns, and each sees a consistent window (the slots and the rotation state are touched only
 * under that lock). An observation racing a scrape lands in that scrape or the next, never in
 * neither; {@code _count} and {@code _sum} may run ahead of the quantiles by those in-flight
 * observations.
 */
public final class WindowedSummary implements Collector {
  private static final int STRIPES = 8;

  private final String name;
  private final String help;
  private final List<Double> quantiles;
  private final long slotNanos;
  private final LongSupplier clock;
  // Striped by thread, so that request threads on different cores do not write the same
  // recorder's phaser and counts (a shared cache line per observation); merged at scrape time.
  private final Recorder[] recorders = new Recorder[STRIPES];
  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();
  private final Histogram[] slots;
  private int current;
  private long currentSlotEnd;
  private final Histogram[] recycled = new Histogram[STRIPES];

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
      recorders[i] = new Recorder(3);
    }
    this.slots = new Histogram[ageBuckets];
    for (int i = 0; i < ageBuckets; i++) {
      slots[i] = new Histogram(3);
    }
    this.currentSlotEnd = clock.getAsLong() + slotNanos;
  }

  /** Records one duration in nanoseconds; wait-free. */
  public void observeNanos(long nanos) {
    long value = Math.max(0, nanos);
    // Thread ids are handed out in sequence, so a pool's threads spread over the stripes.
    recorders[(int) Thread.currentThread().getId() & (STRIPES - 1)].recordValue(value);
    count.increment();
    sumNanos.add(value);
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
    for (int i = 0; i < STRIPES; i++) {
      // A recorder takes back only the interval histograms it handed out itself.
      recycled[i] = recorders[i].getIntervalHistogram(recycled[i]);
      slots[current].add(recycled[i]);
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
                .count(count.sum())
                .sum(sumNanos.sum() / 1e9)
                .quantiles(Quantiles.of(values))
                .build())
        .build();
  }
}
