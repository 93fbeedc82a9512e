package dev.surge.loadgen.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.loadgen.output.HdrLog;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.record.Interval;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultMergerTest {
  @TempDir Path dir;

  /** A shard whose interval k holds {@code count} latencies spread evenly over [lowMs, highMs). */
  private record Shard(RunResult result, Path log, Histogram all, List<Histogram> perInterval) {}

  private Shard shard(String name, int intervals, int count, long lowMs, long highMs) {
    ResultBuilder b = new ResultBuilder();
    Histogram all = ResultBuilder.newHistogram();
    List<Histogram> per = new java.util.ArrayList<>();
    Path log = dir.resolve(name + ".hlog");
    try (HdrLog hdr = new HdrLog(log, 1_700_000_000_000L)) {
      for (int k = 0; k < intervals; k++) {
        Histogram c = ResultBuilder.newHistogram();
        Histogram u = ResultBuilder.newHistogram();
        for (int i = 0; i < count; i++) {
          long micros = (lowMs + (highMs - lowMs) * i / count) * 1000 + k;
          c.recordValue(micros);
          u.recordValue(Math.max(1, micros / 2));
        }
        all.add(c);
        per.add(c);
        Interval in =
            new Interval(
                k,
                k + 1,
                c,
                u,
                count,
                count,
                0,
                0,
                0,
                0,
                Map.of(),
                Map.of("200", (long) count),
                Map.of(name, (long) count));
        b.add(in, count);
        hdr.append(in);
      }
    }
    RunResult r =
        new RunResult(
            "surge-loadgen",
            "test",
            "2026-11-26T07:00:00Z",
            Map.of("shard", name),
            b.summary(intervals, count, 0),
            b.intervals(),
            null);
    Path file = dir.resolve(name + ".json");
    ResultWriter.write(r, file);
    return new Shard(ResultWriter.read(file), log, all, per);
  }

  @Test
  void mergedPercentilesAreThoseOfTheCombinedData() {
    // Shard a: fast (1..100 ms), shard b: slow (200..1200 ms), different sizes: averaging
    // percentiles would be wrong.
    Shard a = shard("a", 3, 900, 1, 100);
    Shard b = shard("b", 3, 100, 200, 1200);
    Histogram combined = ResultBuilder.newHistogram();
    combined.add(a.all());
    combined.add(b.all());

    ResultMerger.Merged m =
        ResultMerger.merge(List.of(a.result(), b.result()), List.of(a.log(), b.log()));
    RunResult r = m.result();
    Percentiles expected = Percentiles.full(combined);
    assertThat(r.summary().latencyMillis().corrected()).isEqualTo(expected);
    assertThat(r.summary().requests()).isEqualTo(3000);
    assertThat(r.summary().backends()).containsEntry("a", 2700L).containsEntry("b", 300L);
    // p90 of the combined data sits at the boundary between the shards; p99 inside the slow shard.
    assertThat(expected.p50()).isLessThan(100);
    assertThat(expected.p99()).isGreaterThan(1000);

    for (int k = 0; k < 3; k++) {
      Histogram ik = ResultBuilder.newHistogram();
      ik.add(a.perInterval().get(k));
      ik.add(b.perInterval().get(k));
      assertThat(r.intervals().get(k).latencyMillis().corrected()).isEqualTo(Percentiles.brief(ik));
      assertThat(r.intervals().get(k).requests()).isEqualTo(1000);
      assertThat(r.intervals().get(k).targetRate()).isEqualTo(1000.0);
    }
    assertThat(r.config()).containsEntry("intervalLatency", "merged histograms");
  }

  @Test
  void withoutLogsIntervalPercentilesAreAnUpperBound() {
    Shard a = shard("a", 2, 500, 1, 100);
    Shard b = shard("b", 2, 500, 200, 1200);
    RunResult r = ResultMerger.merge(List.of(a.result(), b.result()), List.of()).result();
    Histogram i0 = ResultBuilder.newHistogram();
    i0.add(a.perInterval().get(0));
    i0.add(b.perInterval().get(0));
    assertThat(r.intervals().get(0).latencyMillis().corrected().p50())
        .isGreaterThanOrEqualTo(Percentiles.brief(i0).p50());
    assertThat(r.config().get("intervalLatency").toString()).startsWith("max of shards");
  }

  @Test
  void mismatchedLogCountIsRejected() {
    Shard a = shard("a", 1, 10, 1, 2);
    assertThatThrownBy(() -> ResultMerger.merge(List.of(a.result(), a.result()), List.of(a.log())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give one HDR log per result file (2 results, 1 logs)");
  }
}
