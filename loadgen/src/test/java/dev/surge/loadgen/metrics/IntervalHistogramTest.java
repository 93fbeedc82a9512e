package dev.surge.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Whole intervals into classic buckets: the same exposition as one observe per value. */
class IntervalHistogramTest {
  @Test
  void addsEachRecordedValueWithItsCountToItsBucket() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    IntervalHistogram h =
        new IntervalHistogram("t_seconds", "test", new double[] {0.005, 0.1, 1}, 1e-6);
    registry.register(h);
    Histogram interval = new Histogram(1, 3_600_000_000L, 3);
    interval.recordValueWithCount(1_000, 3); // 1 ms
    interval.recordValueWithCount(4_000, 2); // 4 ms
    // 5 ms exactly counts as the top of its 3-digit HdrHistogram bucket (5.003 ms), above 0.005,
    // as the one-observe-per-response replay it replaces counted it.
    interval.recordValueWithCount(5_000, 1);
    interval.recordValueWithCount(200_000, 1); // 200 ms
    interval.recordValueWithCount(3_000_000, 4); // 3 s: only +Inf
    h.add(interval);
    h.add(interval); // a second interval adds up
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("t_seconds_bucket{le=\"0.005\"} 10\n")
        .contains("t_seconds_bucket{le=\"0.1\"} 12\n")
        .contains("t_seconds_bucket{le=\"1.0\"} 14\n")
        .contains("t_seconds_bucket{le=\"+Inf\"} 22\n")
        .contains("t_seconds_count 22\n");
    double sum =
        Double.parseDouble(text.replaceAll("(?s).*\nt_seconds_sum ([0-9.eE+-]+)\n.*", "$1"));
    // HdrHistogram reports each value as the top of its 3-digit bucket, hence the tolerance.
    assertThat(sum)
        .isCloseTo(
            2 * (3 * 0.001 + 2 * 0.004 + 0.005 + 0.2 + 4 * 3.0),
            org.assertj.core.api.Assertions.within(0.05));
  }
}
