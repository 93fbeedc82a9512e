package dev.surge.loadgen.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.output.HistogramCodec;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Histograms;
import dev.surge.loadgen.record.Interval;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ShardMergeTest {
  /** A one-interval shard result: {@code n} requests of {@code millis} ms each. */
  static RunResult result(int n, long millis) {
    ResultBuilder b = new ResultBuilder();
    b.add(interval(n, millis), n);
    return new RunResult(
        "surge-loadgen",
        "test",
        "2026-12-01T10:00:00Z",
        Map.of("shard", "?"),
        b.summary(1, n, 0),
        b.intervals(),
        null);
  }

  private static Interval interval(int n, long millis) {
    Histogram h = ResultBuilder.newHistogram();
    h.recordValueWithCount(millis * 1000, n);
    return new Interval(
        0,
        1,
        h,
        h.copy(),
        n,
        n,
        0,
        0,
        0,
        0,
        Map.of(),
        Map.of("200", (long) n),
        Map.of("pod", (long) n));
  }

  private static ShardReport report(int index, int n, long millis) {
    Interval i = interval(n, millis);
    return new ShardReport(
        index,
        3,
        result(n, millis),
        List.of(
            new Histograms(
                HistogramCodec.encode(i.corrected()), HistogramCodec.encode(i.uncorrected()))));
  }

  @Test
  void percentilesComeFromTheSummedHistogramsAndTheThresholdsFromTheMergedFigures() {
    RunResult m =
        ShardMerge.merge(
            Map.of(0, report(0, 90, 10), 1, report(1, 5, 500), 2, report(2, 5, 500)),
            3,
            Thresholds.parse(List.of("requests<60", "p90<100ms")));
    // Each shard alone has < 60 requests; averaged p99s would be ~337 ms; the merged p99 is 500 ms.
    assertThat(m.summary().requests()).isEqualTo(100);
    assertThat(m.summary().latencyMillis().corrected().p99()).isEqualTo(500.223);
    assertThat(m.summary().latencyMillis().corrected().p50()).isEqualTo(10.007);
    assertThat(m.intervals().get(0).latencyMillis().corrected().p99()).isEqualTo(500.223);
    assertThat(m.summary().missingShards()).isEmpty();
    assertThat(m.checks().passed()).isFalse();
    assertThat(m.checks().verdict()).isEqualTo("failed: thresholds requests<60");
  }

  @Test
  void aMissingShardMakesThePartialVerdictEvenWhenThresholdsHold() {
    RunResult m =
        ShardMerge.merge(
            Map.of(0, report(0, 10, 10), 1, report(1, 10, 10)),
            3,
            Thresholds.parse(List.of("p99<1s")));
    assertThat(m.summary().missingShards()).containsExactly(2);
    assertThat(m.summary().requests()).isEqualTo(20);
    assertThat(m.checks().passed()).isFalse();
    assertThat(m.checks().verdict())
        .isEqualTo("partial: shards [2] of 3 sent no result; the figures cover shards [0, 1] only");
    assertThat(m.config()).containsEntry("shard", "merged 2 of 3");
  }

  @Test
  void everyShardInAndThresholdsHeldPasses() {
    RunResult m =
        ShardMerge.merge(
            Map.of(0, report(0, 10, 10), 1, report(1, 10, 10), 2, report(2, 10, 10)),
            3,
            Thresholds.parse(List.of("requests>=30")));
    assertThat(m.checks().passed()).isTrue();
    assertThat(m.checks().verdict()).isEqualTo("passed (3 shards merged)");
    assertThat(
            Percentiles.full(HistogramCodec.decode(m.summary().histograms().corrected())).count())
        .isEqualTo(30);
  }
}
