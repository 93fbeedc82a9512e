package dev.surge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WindowedSummaryTest {
  private final AtomicLong clock = new AtomicLong(0);
  private final WindowedSummary summary =
      new WindowedSummary(
          "work_seconds", "help", List.of(0.5, 0.9, 0.99), Duration.ofMinutes(2), 4, clock::get);

  private SummarySnapshot.SummaryDataPointSnapshot scrape() {
    SummarySnapshot snapshot = (SummarySnapshot) summary.collect();
    assertThat(snapshot.getMetadata().getName()).isEqualTo("work_seconds");
    return snapshot.getDataPoints().get(0);
  }

  private static double quantile(SummarySnapshot.SummaryDataPointSnapshot p, double q) {
    for (Quantile quantile : p.getQuantiles()) {
      if (quantile.getQuantile() == q) {
        return quantile.getValue();
      }
    }
    throw new AssertionError("no quantile " + q);
  }

  private void observeMillis(int from, int to) {
    for (int ms = from; ms <= to; ms++) {
      summary.observeNanos(ms * 1_000_000L);
    }
  }

  @Test
  void quantilesAreInSecondsAndAccurateToThreeDigits() {
    observeMillis(1, 1000);
    SummarySnapshot.SummaryDataPointSnapshot p = scrape();
    assertThat(quantile(p, 0.5)).isCloseTo(0.5, within(0.001));
    assertThat(quantile(p, 0.9)).isCloseTo(0.9, within(0.001));
    assertThat(quantile(p, 0.99)).isCloseTo(0.99, within(0.001));
    assertThat(p.getCount()).isEqualTo(1000);
    assertThat(p.getSum()).isCloseTo(500.5, within(1e-9));
  }

  @Test
  void quantilesAreNaNWithNothingInTheWindow() {
    assertThat(quantile(scrape(), 0.5)).isNaN();
  }

  @Test
  void oldObservationsLeaveTheWindowButCountAndSumKeepThem() {
    observeMillis(900, 1000); // scraped into the first slot
    scrape();
    clock.addAndGet(Duration.ofSeconds(45).toNanos()); // two 30 s slots later
    observeMillis(1, 10);
    SummarySnapshot.SummaryDataPointSnapshot p = scrape();
    assertThat(quantile(p, 0.99)).isCloseTo(1.0, within(0.001)); // still in the 2-minute window
    clock.addAndGet(Duration.ofSeconds(90).toNanos()); // the first slot has now rotated out
    p = scrape();
    assertThat(quantile(p, 0.99)).isCloseTo(0.010, within(0.0001));
    assertThat(p.getCount()).isEqualTo(111);
    clock.addAndGet(Duration.ofMinutes(10).toNanos());
    p = scrape();
    assertThat(quantile(p, 0.5)).isNaN();
    assertThat(p.getCount()).isEqualTo(111);
  }

  @Test
  void negativeDurationsCountAsZero() {
    summary.observeNanos(-5);
    assertThat(quantile(scrape(), 0.5)).isZero();
  }

  /**
   * Scrapes while eight threads observe: count and sum never go down, and once the threads are done
   * every observation is in count, sum and the window exactly once (none lost or counted twice by
   * the stripe swap at scrape time).
   */
  @Test
  void observationsRacingScrapesAreEachCountedOnce() throws Exception {
    int threads = 8;
    int perThread = 100_000;
    RacingWriters writers =
        RacingWriters.start(
            threads, perThread, i -> summary.observeNanos(1_000_000L * (1 + i % 100))); // 1..100 ms
    long lastCount = 0;
    double lastSum = 0;
    boolean done = false;
    while (!done) {
      done = !writers.running();
      SummarySnapshot.SummaryDataPointSnapshot p = scrape();
      assertThat(p.getCount()).isGreaterThanOrEqualTo(lastCount);
      assertThat(p.getSum()).isGreaterThanOrEqualTo(lastSum);
      lastCount = p.getCount();
      lastSum = p.getSum();
    }
    writers.join();
    SummarySnapshot.SummaryDataPointSnapshot p = scrape();
    long total = (long) threads * perThread;
    assertThat(p.getCount()).isEqualTo(total);
    // Each thread observed 1..100 ms a thousand times over: 5050 ms per thousand.
    assertThat(p.getSum()).isCloseTo(threads * (perThread / 100) * 5.050, within(1e-6));
    assertThat(quantile(p, 0.5)).isCloseTo(0.050, within(0.001));
  }
}
