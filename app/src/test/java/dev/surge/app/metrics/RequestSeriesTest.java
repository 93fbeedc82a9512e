package dev.surge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSeriesTest {
  private static final long CREATED = 1_700_000_000_123L;

  private final RequestSeries series =
      new RequestSeries(
          Metrics.REQUESTS_HELP,
          Metrics.DURATION_HELP,
          Metrics.DURATION_BUCKETS,
          100,
          10,
          () -> CREATED);

  /**
   * What the app exposed before (client_java's Counter and classic-only Histogram, as Metrics built
   * them) and what RequestSeries exposes, for the same requests, must be the same text in both
   * formats Prometheus scrapes, {@code _created} aside (a wall-clock time).
   */
  @Test
  void exposesExactlyWhatClientJavasCounterAndHistogramExposed() throws Exception {
    PrometheusRegistry before = new PrometheusRegistry();
    Counter counter =
        Counter.builder()
            .name("surge_http_requests_total")
            .help(Metrics.REQUESTS_HELP)
            .labelNames("method", "route", "status")
            .withoutExemplars()
            .register(before);
    Histogram histogram =
        Histogram.builder()
            .name("surge_http_request_duration_seconds")
            .help(Metrics.DURATION_HELP)
            .labelNames("route", "status")
            .classicOnly()
            .classicUpperBounds(Metrics.DURATION_BUCKETS)
            .withoutExemplars()
            .register(before);
    PrometheusRegistry after = new PrometheusRegistry();
    after.register(series);
    assertThat(text(after, false)).isEqualTo(text(before, false));
    assertThat(text(after, true)).isEqualTo(text(before, true));

    // Durations that are exact binary fractions of a second, so both sums are exact; one in every
    // bucket, on both sides of the bounds 0.25 and 0.5, and beyond 10 s.
    long[] nanos = {
      1_953_125,
      3_906_250,
      7_812_500,
      15_625_000,
      31_250_000,
      62_500_000,
      125_000_000,
      250_000_000,
      500_000_000,
      1_000_000_000,
      2_000_000_000,
      4_000_000_000L,
      8_000_000_000L,
      16_000_000_000L
    };
    String[][] requests = {
      {"GET", "/api/work", "200", "2xx"},
      {"GET", "/delay/{millis}", "200", "2xx"},
      {"OTHER", "unmatched", "404", "4xx"},
      {"GET", "/status/{code}", "5xx", "5xx"},
      {"GET", "/api/work", "500", "5xx"},
    };
    for (int i = 0; i < 40; i++) {
      String[] r = requests[i % requests.length];
      long n = nanos[i % nanos.length];
      counter.labelValues(r[0], r[1], r[2]).inc();
      histogram.labelValues(r[1], r[3]).observe(n / 1e9);
      series.observe(series.counter(r[0], r[1], r[2]), series.histogram(r[1], r[3]), n);
    }
    assertThat(text(after, false)).isEqualTo(text(before, false)).contains("le=\"0.25\"");
    assertThat(text(after, true)).isEqualTo(text(before, true)).contains("_created");
  }

  /** Every text format client_java writes, as /metrics serves them, with and without _created. */
  private static String text(PrometheusRegistry registry, boolean openMetrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (boolean created : new boolean[] {false, true}) {
      if (openMetrics) {
        OpenMetricsTextFormatWriter.builder()
            .setCreatedTimestampsEnabled(created)
            .build()
            .write(out, registry.scrape());
      } else {
        PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(created)
            .build()
            .write(out, registry.scrape());
      }
    }
    return out.toString(StandardCharsets.UTF_8).replaceAll("(?m)(_created\\{.*}) \\S+$", "$1 T");
  }

  @Test
  void aDurationOnABoundIsInThatBucketAndOneNanosecondMoreIsInTheNext() {
    int counter = series.counter("GET", "/", "200");
    int histogram = series.histogram("/", "2xx");
    series.observe(counter, histogram, 5_000_000); // 0.005 s: le="0.005"
    series.observe(counter, histogram, 5_000_001); // le="0.01"
    series.observe(counter, histogram, 10_000_000_000L); // 10 s: le="10"
    series.observe(counter, histogram, 10_000_000_001L); // +Inf only
    series.observe(counter, histogram, -5); // a clock step back counts as 0
    HistogramSnapshot.HistogramDataPointSnapshot point = histogramPoint(series.collect(), 0);
    List<Long> perBucket = new ArrayList<>();
    for (ClassicHistogramBucket b : point.getClassicBuckets()) {
      perBucket.add(b.getCount());
    }
    // Per bucket (the exposition adds them up): le="0.005" has two (-5 -> 0, and 5 ms), le="0.01"
    // one, le="10" one, +Inf one.
    assertThat(perBucket).containsExactly(2L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L);
    assertThat(point.getCount()).isEqualTo(5);
    assertThat(point.getSum()).isEqualTo(20.010000002);
    assertThat(counterValue(series.collect(), 0)).isEqualTo(5.0);
  }

  @Test
  void aLabelSetIsCreatedOnceAndTheCapacityIsEnforced() {
    assertThat(series.counter("GET", "/", "200")).isEqualTo(series.counter("GET", "/", "200"));
    assertThat(series.histogram("/", "2xx")).isEqualTo(series.histogram("/", "2xx"));
    assertThat(series.histogram("/", "4xx")).isNotEqualTo(series.histogram("/", "2xx"));
    for (int i = 0; i < 8; i++) {
      series.histogram("/r" + i, "2xx");
    }
    assertThatThrownBy(() -> series.histogram("/r9", "2xx"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("more than 10 request histogram label sets");
  }

  /**
   * Scrapes while eight threads observe: in every scrape each histogram's {@code _count} is its
   * {@code +Inf} bucket, the cumulative buckets never decrease along {@code le}, and no series goes
   * down from one scrape to the next; after the threads finish every request is counted once.
   */
  @Test
  void everyScrapeDuringTrafficIsConsistentAndNothingIsLost() throws Exception {
    int threads = 8;
    int perThread = 200_000;
    int counter = series.counter("GET", "/api/work", "200");
    int histogram = series.histogram("/api/work", "2xx");
    // Spread over every bucket: 0.001 s ... 16 s.
    RacingWriters writers =
        RacingWriters.start(
            threads, perThread, i -> series.observe(counter, histogram, 1_000_000L << (i % 15)));
    long[] lastBuckets = new long[Metrics.DURATION_BUCKETS.length + 1];
    long lastCount = 0;
    double lastCounter = 0;
    int scrapes = 0;
    boolean done = false;
    while (!done) {
      done = !writers.running();
      MetricSnapshots snapshots = series.collect();
      HistogramSnapshot.HistogramDataPointSnapshot point = histogramPoint(snapshots, 0);
      // The exposition's le="x" is the running total of these, and _count their sum: so _count is
      // the +Inf bucket and no bucket exceeds it, as long as the count is the sum of what this
      // scrape read, and no bucket goes down between scrapes.
      long total = 0;
      int i = 0;
      for (ClassicHistogramBucket b : point.getClassicBuckets()) {
        assertThat(b.getCount()).isGreaterThanOrEqualTo(lastBuckets[i]);
        lastBuckets[i++] = b.getCount();
        total += b.getCount();
      }
      assertThat(point.getCount()).isEqualTo(total).isGreaterThanOrEqualTo(lastCount);
      lastCount = point.getCount();
      double value = counterValue(snapshots, 0);
      assertThat(value).isGreaterThanOrEqualTo(lastCounter);
      lastCounter = value;
      scrapes++;
    }
    writers.join();
    MetricSnapshots last = series.collect();
    long total = (long) threads * perThread;
    assertThat(counterValue(last, 0)).isEqualTo(total);
    assertThat(histogramPoint(last, 0).getCount()).isEqualTo(total);
    long sum = 0;
    for (int i = 0; i < perThread; i++) {
      sum += 1_000_000L << (i % 15);
    }
    assertThat(histogramPoint(last, 0).getSum()).isEqualTo(sum * threads / 1e9);
    assertThat(scrapes).isPositive();
  }

  private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(
      MetricSnapshots snapshots, int index) {
    return snapshots.stream()
        .filter(HistogramSnapshot.class::isInstance)
        .map(HistogramSnapshot.class::cast)
        .findFirst()
        .orElseThrow()
        .getDataPoints()
        .get(index);
  }

  private static double counterValue(MetricSnapshots snapshots, int index) {
    return snapshots.stream()
        .filter(CounterSnapshot.class::isInstance)
        .map(CounterSnapshot.class::cast)
        .findFirst()
        .orElseThrow()
        .getDataPoints()
        .get(index)
        .getValue();
  }
}
