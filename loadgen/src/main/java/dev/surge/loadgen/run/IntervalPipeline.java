package dev.surge.loadgen.run;

import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import dev.surge.loadgen.output.Progress;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Once per interval: takes the recorder's snapshot and hands it to every consumer — the result
 * builder, the HDR log, the Prometheus metrics, the progress line — and evaluates {@code
 * --abort-on} on the last few intervals.
 *
 * <p>Concurrency contract: {@link #tick} is called by one thread at a time — the interval thread,
 * then once more by the run's thread after that thread has stopped (see {@link IntervalTicker}) —
 * so its state needs no lock; the hand-over is ordered by the executor's termination. {@link
 * #abortReason} may be read from any thread (the dispatcher polls it): it is volatile and set once.
 *
 * <p>The interval histograms are recycled: each tick hands the previous interval's histograms back
 * to {@link RunRecorder#snapshot(long, long, long, Interval)}, so a run allocates no histogram per
 * interval. Every consumer therefore uses an interval's histograms only during {@code tick} (the
 * result builder adds them into its totals, the HDR log writes them, the metrics iterate them); the
 * abort window keeps copies in histograms of its own, reused as the window slides.
 */
final class IntervalPipeline {
  private final RunRecorder recorder;
  private final Schedule schedule;
  private final long startNanos;
  private final ResultBuilder results;
  private final Consumer<Interval> hdr;
  private final LoadgenMetrics metrics;
  private final Progress progress;
  private final AbortRule abort;
  private final Consumer<IntervalResult> published;
  private final Deque<Interval> window = new ArrayDeque<>();
  private final Deque<Interval> spare = new ArrayDeque<>();
  private final Set<String> backendsSeen = new HashSet<>();
  private long lastNanos;
  private Interval previous;
  private volatile String abortReason;

  /**
   * @param hdr receives every interval: the HDR log, or a do-nothing consumer when none is written
   * @param progress the progress line ({@link Progress#off()} when progress is off)
   * @param published receives each interval as the result file records it (the live view)
   */
  IntervalPipeline(
      RunRecorder recorder,
      Schedule schedule,
      long startNanos,
      ResultBuilder results,
      Consumer<Interval> hdr,
      LoadgenMetrics metrics,
      Progress progress,
      AbortRule abort,
      Consumer<IntervalResult> published) {
    this.recorder = recorder;
    this.schedule = schedule;
    this.startNanos = startNanos;
    this.results = results;
    this.hdr = hdr;
    this.metrics = metrics;
    this.progress = progress;
    this.abort = abort;
    this.published = published;
    this.lastNanos = startNanos;
  }

  /** Processes the interval that ends now. */
  void tick(long nowNanos) {
    Interval i =
        previous == null
            ? recorder.snapshot(startNanos, lastNanos, nowNanos)
            : recorder.snapshot(startNanos, lastNanos, nowNanos, previous);
    previous = i;
    lastNanos = nowNanos;
    // What the schedule asked for in this interval, exactly: its requests due in [start, end) per
    // second.
    double target =
        i.lengthSeconds() > 0
            ? (schedule.countBefore(i.endSeconds()) - schedule.countBefore(i.startSeconds()))
                / i.lengthSeconds()
            : 0;
    IntervalResult r = results.add(i, target);
    hdr.accept(i);
    metrics.update(i, schedule.rateAt(i.endSeconds()));
    backendsSeen.addAll(i.backends().keySet());
    progress.update(r, backendsSeen.size());
    checkAbort(i);
    // After the abort check, so that the live view hears of an abort in the interval that decided
    // it.
    published.accept(r);
  }

  private void checkAbort(Interval i) {
    if (abort.conditions().isEmpty() || abortReason != null) {
      return;
    }
    window.addLast(windowCopy(i));
    while (window.size() > AbortRule.WINDOW_SECONDS) {
      spare.addLast(window.removeFirst());
    }
    ResultBuilder b = new ResultBuilder();
    double len = 0;
    for (Interval w : window) {
      b.add(w, 0);
      len += w.lengthSeconds();
    }
    Summary windowSummary = b.summary(len, 0, 0, false);
    Optional<String> reason = abort.check(i.endSeconds(), windowSummary);
    reason.ifPresent(r -> abortReason = r);
  }

  /** The interval with its histograms copied into ones the window owns (reused when it slides). */
  private Interval windowCopy(Interval i) {
    Interval slot = spare.pollFirst();
    Histogram c = slot == null ? ResultBuilder.newHistogram() : slot.corrected();
    Histogram u = slot == null ? ResultBuilder.newHistogram() : slot.uncorrected();
    i.corrected().copyInto(c);
    i.uncorrected().copyInto(u);
    return new Interval(
        i.startSeconds(),
        i.endSeconds(),
        c,
        u,
        i.requests(),
        i.ok(),
        i.errors(),
        i.dropped(),
        i.late(),
        i.inFlight(),
        i.errorsByKind(),
        i.statusCodes(),
        i.backends());
  }

  /** Why the run should stop early, or null. */
  String abortReason() {
    return abortReason;
  }
}
