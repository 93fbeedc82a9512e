package dev.surge.loadgen.distributed;

import dev.surge.loadgen.output.HistogramCodec;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Histograms;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a shard sends to shard 0 when it is done ({@code POST /shards/result}, JSON): its result as
 * it would write it to {@code --out} (whole-run histograms included) and its interval histograms,
 * interval k at index k, encoded as in the result file.
 *
 * @param index the shard's index
 * @param count the number of shards it was started with
 * @param result its result
 * @param intervals its interval histograms (corrected, uncorrected)
 */
public record ShardReport(int index, int count, RunResult result, List<Histograms> intervals) {
  public ShardReport {
    intervals = intervals == null ? List.of() : List.copyOf(intervals);
  }

  /**
   * Checks what came over the wire against the run it claims to belong to.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  void validate(int expectedCount) {
    if (count != expectedCount) {
      throw new IllegalArgumentException(
          "shard "
              + index
              + " was started with "
              + count
              + " shards, this run has "
              + expectedCount);
    }
    if (index < 0 || index >= expectedCount) {
      throw new IllegalArgumentException(
          "shard index " + index + " is not in 0.." + (expectedCount - 1));
    }
    if (result == null || result.summary() == null || result.summary().histograms() == null) {
      throw new IllegalArgumentException("shard " + index + " sent a result without histograms");
    }
  }

  /** The interval histograms decoded, as {@code ResultMerger.mergeWithIntervals} takes them. */
  List<Histogram[]> decodedIntervals() {
    List<Histogram[]> out = new ArrayList<>();
    for (Histograms h : intervals) {
      out.add(
          new Histogram[] {
            HistogramCodec.decode(h.corrected()), HistogramCodec.decode(h.uncorrected())
          });
    }
    return out;
  }
}
