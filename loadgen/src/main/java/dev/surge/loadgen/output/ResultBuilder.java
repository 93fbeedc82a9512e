package dev.surge.loadgen.output;

import dev.surge.loadgen.output.RunResult.Histograms;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Latency;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Accumulates the intervals of a run into whole-run totals (histograms added up, counters summed)
 * and the compact per-interval entries of the result file. Interval histograms are not kept, so
 * memory grows only by one small entry per second.
 */
public final class ResultBuilder {
  private final Histogram corrected = newHistogram();
  private final Histogram uncorrected = newHistogram();
  private final List<IntervalResult> intervals = new ArrayList<>();
  private final Map<String, Long> errorsByKind = new TreeMap<>();
  private final Map<String, Long> statusCodes = new TreeMap<>();
  private final Map<String, Long> backends = new TreeMap<>();
  private long requests;
  private long ok;
  private long errors;
  private long dropped;
  private long late;

  /** An empty histogram with the range and precision every loadgen histogram uses. */
  public static Histogram newHistogram() {
    return new Histogram(1, RunRecorder.HIGHEST_MICROS, RunRecorder.DIGITS);
  }

  /**
   * Adds one interval; {@code targetRate} is what the schedule asked for during it (requests/s).
   */
  public synchronized IntervalResult add(Interval i, double targetRate) {
    corrected.add(i.corrected());
    uncorrected.add(i.uncorrected());
    requests += i.requests();
    ok += i.ok();
    errors += i.errors();
    dropped += i.dropped();
    late += i.late();
    i.errorsByKind().forEach((k, v) -> errorsByKind.merge(k, v, Long::sum));
    i.statusCodes().forEach((k, v) -> statusCodes.merge(k, v, Long::sum));
    i.backends().forEach((k, v) -> backends.merge(k, v, Long::sum));
    double len = i.lengthSeconds();
    IntervalResult r =
        new IntervalResult(
            Percentiles.round(i.endSeconds()),
            Percentiles.round(targetRate),
            Percentiles.round(len > 0 ? i.completed() / len : 0),
            i.requests(),
            i.ok(),
            i.errors(),
            i.dropped(),
            i.inFlight(),
            new Latency(Percentiles.brief(i.corrected()), Percentiles.brief(i.uncorrected())),
            new TreeMap<>(i.backends()),
            i.errorsByKind().isEmpty() ? null : new TreeMap<>(i.errorsByKind()));
    intervals.add(r);
    return r;
  }

  /**
   * Adds the whole-run totals of another result (a shard of a distributed run): its histograms,
   * counters and the counts by kind, status and backend. Its intervals are not added.
   */
  public synchronized void addTotals(Summary s) {
    corrected.add(HistogramCodec.decode(s.histograms().corrected()));
    uncorrected.add(HistogramCodec.decode(s.histograms().uncorrected()));
    requests += s.requests();
    ok += s.ok();
    errors += s.errors();
    dropped += s.dropped();
    late += s.late();
    s.errorsByKind().forEach((k, v) -> errorsByKind.merge(k, v, Long::sum));
    s.statusCodes().forEach((k, v) -> statusCodes.merge(k, v, Long::sum));
    s.backends().forEach((k, v) -> backends.merge(k, v, Long::sum));
  }

  /** The intervals added so far. */
  public synchronized List<IntervalResult> intervals() {
    return List.copyOf(intervals);
  }

  /** Whole-run corrected histogram so far (a copy). */
  public synchronized Histogram corrected() {
    return corrected.copy();
  }

  /**
   * The summary over everything added.
   *
   * @param durationSeconds the sending period (start to end of the schedule, or to the stop)
   * @param targetRate mean rate the schedule asked for over that period
   * @param unfinished requests still in flight when the run gave up waiting
   */
  public synchronized Summary summary(double durationSeconds, double targetRate, long unfinished) {
    return summary(durationSeconds, targetRate, unfinished, true);
  }

  /**
   * {@link #summary(double, double, long)}, leaving out the encoded histograms when {@code
   * withHistograms} is false.
   */
  public synchronized Summary summary(
      double durationSeconds, double targetRate, long unfinished, boolean withHistograms) {
    return new Summary(
        requests,
        ok,
        errors,
        dropped,
        late,
        unfinished,
        Percentiles.round(durationSeconds),
        Percentiles.round(targetRate),
        Percentiles.round(durationSeconds > 0 ? (ok + errors) / durationSeconds : 0),
        new Latency(Percentiles.full(corrected), Percentiles.full(uncorrected)),
        new TreeMap<>(errorsByKind),
        new TreeMap<>(statusCodes),
        new TreeMap<>(backends),
        withHistograms
            ? new Histograms(HistogramCodec.encode(corrected), HistogramCodec.encode(uncorrected))
            : null);
  }
}
