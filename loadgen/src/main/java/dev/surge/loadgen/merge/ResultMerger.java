package dev.surge.loadgen.merge;

import dev.surge.loadgen.output.HdrLog;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Latency;
import dev.surge.loadgen.output.RunResult.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Combines the results of the shards of one distributed run into one result. Counters, status
 * codes, error kinds, backends and rates add up; percentiles come from the added-up histograms —
 * never from averaging percentiles. The summary's histograms travel inside each result file;
 * per-interval percentiles need the shards' HDR logs (interval k of every shard is added to
 * interval k of the whole). Without logs an interval's percentiles are the largest of the shards' —
 * an upper bound of the combined value — and the result says so in {@code config.intervalLatency}.
 *
 * <pre>{@code
 * Merged m = ResultMerger.merge(List.of(r0, r1), List.of(log0, log1));
 * }</pre>
 */
public final class ResultMerger {
  private ResultMerger() {}

  /**
   * A merged result and the merged interval histograms (for writing a merged HDR log), empty
   * without logs.
   */
  public record Merged(RunResult result, List<Histogram[]> intervalHistograms) {}

  /**
   * Merges shard results; {@code logs} is empty or one HDR log per result, in the same order.
   *
   * @throws IllegalArgumentException when inputs are missing, mismatched or lack histograms
   */
  public static Merged merge(List<RunResult> results, List<Path> logs) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge: give at least one result file");
    }
    if (!logs.isEmpty() && logs.size() != results.size()) {
      throw new IllegalArgumentException(
          "give one HDR log per result file ("
              + results.size()
              + " results, "
              + logs.size()
              + " logs)");
    }
    return mergeSummed(results, logs.isEmpty() ? List.of() : mergeLogs(logs), !logs.isEmpty());
  }

  /**
   * Merges shard results with each shard's interval histograms (corrected, uncorrected; interval k
   * at index k) as they came over the wire instead of from HDR log files: the same exact merge.
   *
   * @throws IllegalArgumentException when inputs are missing, mismatched or lack histograms
   */
  public static Merged mergeWithIntervals(
      List<RunResult> results, List<List<Histogram[]>> intervalHistograms) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge: give at least one result");
    }
    if (intervalHistograms.size() != results.size()) {
      throw new IllegalArgumentException(
          "give the interval histograms of every result ("
              + results.size()
              + " results, "
              + intervalHistograms.size()
              + " histogram lists)");
    }
    List<Histogram[]> summed = new ArrayList<>();
    for (List<Histogram[]> shard : intervalHistograms) {
      addUp(summed, shard);
    }
    return mergeSummed(results, summed, true);
  }

  private static Merged mergeSummed(
      List<RunResult> results, List<Histogram[]> merged, boolean exactIntervals) {
    ResultBuilder totals = new ResultBuilder();
    long unfinished = 0;
    double duration = 0;
    double target = 0;
    String startedAt = null;
    for (int i = 0; i < results.size(); i++) {
      Summary s = results.get(i).summary();
      if (s.histograms() == null) {
        throw new IllegalArgumentException(
            "result " + (i + 1) + " has no summary.histograms (written by an older loadgen?)");
      }
      totals.addTotals(s);
      unfinished += s.unfinished();
      duration = Math.max(duration, s.durationSeconds());
      target += s.targetRate();
      String st = results.get(i).startedAt();
      if (st != null && (startedAt == null || st.compareTo(startedAt) < 0)) {
        startedAt = st;
      }
    }
    Summary summary = totals.summary(duration, target, unfinished);

    List<IntervalResult> intervals = mergeIntervals(results, merged);

    Map<String, Object> config = new LinkedHashMap<>();
    if (results.get(0).config() != null) {
      config.putAll(results.get(0).config());
    }
    config.put("shard", "merged " + results.size());
    config.put(
        "mergedShards",
        results.stream()
            .map(r -> r.config() == null ? "?" : String.valueOf(r.config().get("shard")))
            .toList());
    config.put(
        "intervalLatency",
        exactIntervals
            ? "merged histograms"
            : "max of shards (upper bound; give --logs for exact)");
    return new Merged(
        new RunResult(
            "surge-loadgen", results.get(0).version(), startedAt, config, summary, intervals, null),
        merged);
  }

  private static List<Histogram[]> mergeLogs(List<Path> logs) {
    List<Histogram[]> out = new ArrayList<>();
    for (Path log : logs) {
      List<Histogram> c = HdrLog.read(log, HdrLog.CORRECTED);
      List<Histogram> u = HdrLog.read(log, HdrLog.UNCORRECTED);
      List<Histogram[]> shard = new ArrayList<>();
      for (int k = 0; k < c.size(); k++) {
        shard.add(new Histogram[] {c.get(k), k < u.size() ? u.get(k) : null});
      }
      addUp(out, shard);
    }
    return out;
  }

  /** Adds one shard's interval histograms to the running sums, interval k to interval k. */
  private static void addUp(List<Histogram[]> sums, List<Histogram[]> shard) {
    for (int k = 0; k < shard.size(); k++) {
      while (sums.size() <= k) {
        sums.add(new Histogram[] {ResultBuilder.newHistogram(), ResultBuilder.newHistogram()});
      }
      sums.get(k)[0].add(shard.get(k)[0]);
      if (shard.get(k)[1] != null) {
        sums.get(k)[1].add(shard.get(k)[1]);
      }
    }
  }

  private static List<IntervalResult> mergeIntervals(
      List<RunResult> results, List<Histogram[]> logs) {
    int n =
        results.stream()
            .mapToInt(r -> r.intervals() == null ? 0 : r.intervals().size())
            .max()
            .orElse(0);
    List<IntervalResult> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      double t = 0;
      double target = 0;
      double achieved = 0;
      long requests = 0;
      long ok = 0;
      long errors = 0;
      long dropped = 0;
      long inFlight = 0;
      Map<String, Long> backends = new TreeMap<>();
      Percentiles maxC = null;
      Percentiles maxU = null;
      for (RunResult r : results) {
        if (r.intervals() == null || k >= r.intervals().size()) {
          continue;
        }
        IntervalResult i = r.intervals().get(k);
        t = Math.max(t, i.t());
        target += i.targetRate();
        achieved += i.achievedRate();
        requests += i.requests();
        ok += i.ok();
        errors += i.errors();
        dropped += i.dropped();
        inFlight += i.inFlight();
        i.backends().forEach((b, v) -> backends.merge(b, v, Long::sum));
        maxC = max(maxC, i.latencyMillis().corrected());
        maxU = max(maxU, i.latencyMillis().uncorrected());
      }
      Latency latency =
          k < logs.size()
              ? new Latency(Percentiles.brief(logs.get(k)[0]), Percentiles.brief(logs.get(k)[1]))
              : new Latency(maxC, maxU);
      out.add(
          new IntervalResult(
              t,
              Percentiles.round(target),
              Percentiles.round(achieved),
              requests,
              ok,
              errors,
              dropped,
              inFlight,
              latency,
              backends));
    }
    return out;
  }

  private static Percentiles max(Percentiles a, Percentiles b) {
    if (a == null) {
      return b;
    }
    return new Percentiles(
        a.count() + b.count(),
        Math.max(a.p50(), b.p50()),
        Math.max(a.p90(), b.p90()),
        null,
        Math.max(a.p99(), b.p99()),
        null,
        Math.max(a.max(), b.max()),
        null);
  }
}
