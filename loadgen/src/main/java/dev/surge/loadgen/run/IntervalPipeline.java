package dev.surge.loadgen.run;

import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import dev.surge.loadgen.output.HdrLog;
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

/**
 * Once per interval: takes the recorder's snapshot and hands it to every consumer — the result
 * builder, the HDR log, the Prometheus metrics, the progress line — and evaluates {@code
 * --abort-on} on the last few intervals. Called from the interval thread, and once more from the
 * run's thread for the final partial interval (never concurrently).
 */
final class IntervalPipeline {
  private final RunRecorder recorder;
  private final Schedule schedule;
  private final long startNanos;
  private final ResultBuilder results;
  private final HdrLog hdr;
  private final LoadgenMetrics metrics;
  private final Progress progress;
  private final AbortRule abort;
  private final java.util.function.Consumer<Interval> listener;
  private final Deque<Interval> window = new ArrayDeque<>();
  private final Set<String> backendsSeen = new HashSet<>();
  private long lastNanos;
  private volatile String abortReason;

  /**
   * @param hdr null when no HDR log is written
   * @param progress null when progress is off
   */
  IntervalPipeline(
      RunRecorder recorder,
      Schedule schedule,
      long startNanos,
      ResultBuilder results,
      HdrLog hdr,
      LoadgenMetrics metrics,
      Progress progress,
      AbortRule abort,
      java.util.function.Consumer<Interval> listener) {
    this.recorder = recorder;
    this.schedule = schedule;
    this.startNanos = startNanos;
    this.results = results;
    this.hdr = hdr;
    this.metrics = metrics;
    this.progress = progress;
    this.abort = abort;
    this.listener = listener;
    this.lastNanos = startNanos;
  }

  /** Processes the interval that ends now. */
  void tick(long nowNanos) {
    Interval i = recorder.snapshot(startNanos, lastNanos, nowNanos);
    lastNanos = nowNanos;
    // What the schedule asked for in this interval, exactly: its requests due in [start, end) per
    // second.
    double target =
        i.lengthSeconds() > 0
            ? (schedule.countBefore(i.endSeconds()) - schedule.countBefore(i.startSeconds()))
                / i.lengthSeconds()
            : 0;
    IntervalResult r = results.add(i, target);
    listener.accept(i);
    if (hdr != null) {
      hdr.append(i);
    }
    metrics.update(i, schedule.rateAt(i.endSeconds()));
    backendsSeen.addAll(i.backends().keySet());
    if (progress != null) {
      progress.update(r, backendsSeen.size());
    }
    checkAbort(i);
  }

  private void checkAbort(Interval i) {
    if (abort.conditions().isEmpty() || abortReason != null) {
      return;
    }
    window.addLast(i);
    while (window.size() > AbortRule.WINDOW_SECONDS) {
      window.removeFirst();
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

  /** Why the run should stop early, or null. */
  String abortReason() {
    return abortReason;
  }
}
