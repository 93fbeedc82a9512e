package dev.surge.loadgen.run;

import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.output.Progress;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * The run's clock and what hangs off it: starting it fixes the run's start (wall clock and {@link
 * System#nanoTime()}), then opens the HDR log (when there is one) and starts the interval thread;
 * stopping it stops the thread (which processes the last partial interval), closes the log and ends
 * the progress line.
 */
final class Timeline extends ContainerLifeCycle {
  static final long INTERVAL_NANOS = 1_000_000_000L;

  private final RunRecorder recorder;
  private final Schedule schedule;
  private final ResultBuilder results;
  private final MetricsPart metrics;
  private final Progress progress;
  private final AbortRule abort;
  private final Optional<HdrLogPart> hdr;
  private volatile Supplier<Instant> startAt = Instant::now;
  private volatile Consumer<Interval> listener = i -> {};
  private volatile Consumer<IntervalResult> published = r -> {};
  private volatile Instant startedAt;
  private volatile long startNanos;
  private volatile IntervalPipeline pipeline;

  Timeline(
      RunRecorder recorder,
      Schedule schedule,
      ResultBuilder results,
      MetricsPart metrics,
      Progress progress,
      AbortRule abort,
      Optional<Path> hdrLog,
      PrintWriter err) {
    this.recorder = recorder;
    this.schedule = schedule;
    this.results = results;
    this.metrics = metrics;
    this.progress = progress;
    this.abort = abort;
    this.hdr = hdrLog.map(p -> new HdrLogPart(p, () -> startedAt.toEpochMilli()));
    hdr.ifPresent(h -> addBean(h, true));
    addBean(new IntervalTicker(INTERVAL_NANOS, this::tick, err), true);
  }

  /**
   * Where the clock starts: {@code startAt} is asked on start and may block (a distributed run's
   * rendezvous); a start already past anchors the clock in the past, so interval k covers the same
   * wall-clock second as on the other shards and the overdue requests are caught up. Default is
   * now. Also hands every interval to {@code listener} (during the tick only: its histograms are
   * recycled). Call before start.
   */
  void startAt(Supplier<Instant> startAt, Consumer<Interval> listener) {
    this.startAt = startAt;
    this.listener = listener;
  }

  /**
   * Hands each interval, as the result file records it, to {@code published} (the live view), on
   * the interval thread. Default is none. Call before start.
   */
  void publishTo(Consumer<IntervalResult> published) {
    this.published = published;
  }

  @Override
  protected void doStart() throws Exception {
    Instant planned = startAt.get();
    startedAt = planned.truncatedTo(ChronoUnit.MILLIS);
    startNanos =
        System.nanoTime() - Math.max(0, Duration.between(planned, Instant.now()).toNanos());
    Consumer<Interval> log =
        hdr.<Consumer<Interval>>map(h -> h::append).orElse(i -> {}).andThen(listener);
    pipeline =
        new IntervalPipeline(
            recorder,
            schedule,
            startNanos,
            results,
            log,
            metrics.metrics(),
            progress,
            abort,
            published);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    try {
      super.doStop();
    } finally {
      progress.finish();
    }
  }

  private void tick(long nowNanos) {
    pipeline.tick(nowNanos);
  }

  /** Wall-clock start of the run (after the warm-up); only once started. */
  Instant startedAt() {
    return startedAt;
  }

  /** {@link System#nanoTime()} at the start: the schedule's time zero; only once started. */
  long startNanos() {
    return startNanos;
  }

  /** Why the run should stop early, or null; only once started. */
  String abortReason() {
    return pipeline.abortReason();
  }
}
