package dev.surge.loadgen.distributed;

import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.merge.ResultMerger;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Shard 0's merge: the results that came in, merged exactly by {@link ResultMerger} (whole-run and
 * interval histograms added up), the shards that never reported named in {@code
 * summary.missingShards}, the thresholds evaluated on the merged figures, and one verdict: {@code
 * passed}, {@code failed: ...} or {@code partial: ...} (a partial result never passes: part of the
 * load is unaccounted for).
 */
final class ShardMerge {
  private ShardMerge() {}

  /**
   * Merges the results that arrived into one and judges it.
   *
   * @param arrived the results that arrived, by shard index (shard 0's own among them)
   * @param count the number of shards
   * @param thresholds what the merged result is judged against
   */
  static RunResult merge(Map<Integer, ShardReport> arrived, int count, Thresholds thresholds) {
    Map<Integer, ShardReport> reports = new TreeMap<>(arrived);
    List<RunResult> results = new ArrayList<>();
    List<List<Histogram[]>> intervals = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ShardReport r = reports.get(i);
      if (r == null) {
        missing.add(i);
      } else {
        results.add(r.result());
        intervals.add(r.decodedIntervals());
      }
    }
    RunResult m = ResultMerger.mergeWithIntervals(results, intervals).result();
    Summary summary = m.summary().withMissingShards(missing);
    List<ThresholdOutcome> outcomes = thresholds.evaluate(summary);
    List<String> aborts = new ArrayList<>();
    reports.forEach(
        (i, r) -> {
          Checks c = r.result().checks();
          if (c != null && c.aborted()) {
            aborts.add("shard " + i + ": " + c.abortReason());
          }
        });
    boolean thresholdsHeld = Thresholds.allPassed(outcomes);
    String failing =
        outcomes.stream()
            .filter(o -> !o.passed())
            .map(ThresholdOutcome::threshold)
            .collect(Collectors.joining(", "));
    String verdict;
    if (!missing.isEmpty()) {
      verdict =
          "partial: shards "
              + missing
              + " of "
              + count
              + " sent no result; the figures cover shards "
              + reports.keySet()
              + " only"
              + (thresholdsHeld ? "" : "; thresholds failed: " + failing);
    } else if (!aborts.isEmpty()) {
      verdict = "failed: aborted (" + String.join("; ", aborts) + ")";
    } else if (!thresholdsHeld) {
      verdict = "failed: thresholds " + failing;
    } else {
      verdict = "passed (" + count + " shards merged)";
    }
    boolean passed = missing.isEmpty() && aborts.isEmpty() && thresholdsHeld;
    Map<String, Object> config = new LinkedHashMap<>(m.config());
    config.put("shard", "merged " + results.size() + " of " + count);
    return new RunResult(
        m.tool(),
        m.version(),
        m.startedAt(),
        config,
        summary,
        m.intervals(),
        new Checks(
            passed,
            !aborts.isEmpty(),
            aborts.isEmpty() ? null : String.join("; ", aborts),
            outcomes,
            verdict));
  }
}
