package dev.surge.loadgen.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.cli.ExitCode;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.client.LoadClient;
import dev.surge.loadgen.dispatch.ClosedLoop;
import dev.surge.loadgen.dispatch.Dispatcher;
import dev.surge.loadgen.dispatch.LoopDispatcher;
import dev.surge.loadgen.events.EventRecorder;
import dev.surge.loadgen.events.RunEvent;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import dev.surge.loadgen.metrics.Pushgateway;
import dev.surge.loadgen.output.Progress;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import dev.surge.loadgen.output.SummaryPrinter;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import dev.surge.loadgen.ui.LiveView;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * One load run from a {@link RunConfig}, as a Jetty {@link ContainerLifeCycle} of its parts: the
 * metrics (served on {@code --metrics-port}), the HTTP client (warmed up), and the {@link Timeline}
 * — the run's clock with the HDR log and the interval thread that once per second hands the
 * recorder's interval to the consumers (result builder, HDR log, Prometheus metrics, progress line,
 * abort check). The parts start in that order and stop in reverse; a part that fails to start stops
 * those already started; and the run stops every part on every path out of {@link #execute}, so no
 * interval thread, open file, client or port outlives it, whatever throws.
 *
 * <p>Between start and stop the dispatcher sends the schedule. At the end — schedule done, aborted,
 * or stopped by a signal — it waits briefly for in-flight requests, stops the parts (the interval
 * thread processes the last partial interval), then writes the summary, the result file and the
 * push, and returns the exit code.
 *
 * <pre>{@code
 * LoadRun.Outcome o = new LoadRun(config, out, err, version).execute(stopFlag, port -> {});
 * int exit = o.exitCode(); // 0 ok, 1 thresholds failed or aborted
 * }</pre>
 *
 * <p>A {@code LoadRun} runs once; it is used from one thread.
 */
public final class LoadRun extends ContainerLifeCycle {
  private final RunConfig cfg;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String version;
  private final Schedule schedule;
  private final RunRecorder recorder = new RunRecorder();
  private final ResultBuilder results = new ResultBuilder();
  private final Progress progress;
  private final MetricsPart metrics;
  private final ClientPart client;
  private final Timeline timeline;
  private Supplier<JsonNode> scaling = () -> null;
  private Runnable sendingEnded = () -> {};
  private LiveView live = LiveView.off();
  private EventRecorder events;
  private Supplier<?> liveScaling = () -> null;
  private Object lastScaling;
  private final AtomicBoolean abortAnnounced = new AtomicBoolean();

  /** What a run produced. */
  public record Outcome(RunResult result, int exitCode, int metricsPort) {}

  public LoadRun(RunConfig cfg, PrintWriter out, PrintWriter err, String version) {
    this(cfg, out, err, version, List.of());
  }

  /**
   * With {@code extraParts} started after the client and before the timeline: a seam for tests that
   * need a part to fail.
   */
  LoadRun(
      RunConfig cfg,
      PrintWriter out,
      PrintWriter err,
      String version,
      List<? extends LifeCycle> extraParts) {
    this.cfg = cfg;
    this.out = out;
    this.err = err;
    this.version = version;
    this.schedule = Schedule.shard(cfg.profile(), cfg.shard().index(), cfg.shard().count());
    this.progress = progressFor(cfg, out);
    this.metrics = new MetricsPart(cfg.metricsPort());
    this.client = new ClientPart(cfg, version);
    this.timeline =
        new Timeline(
            recorder, schedule, results, metrics, progress, cfg.abort(), cfg.hdrLog(), err);
    addBean(metrics, true);
    addBean(client, true);
    extraParts.forEach(p -> addBean(p, true));
    addBean(timeline, true);
  }

  private static Progress progressFor(RunConfig cfg, PrintWriter out) {
    return switch (cfg.progress()) {
      case OFF -> Progress.off();
      case TTY -> new Progress(out, true);
      case AUTO -> new Progress(out, System.console() != null);
      case LINES -> new Progress(out, false);
    };
  }

  /**
   * Decides when sending starts, once the parts are up and the client is warmed up: returns the
   * wall-clock instant the schedule is anchored at, and may block until then (a distributed run's
   * shards all get the same instant from shard 0).
   */
  @FunctionalInterface
  public interface StartGate {
    /** The start instant; {@code stop} is the signal flag. */
    Instant awaitStart(AtomicBoolean stop);
  }

  private StartGate startGate = stop -> Instant.now();
  private Consumer<Interval> intervalListener = i -> {};

  /** Sets the {@link StartGate}. Default is "start now". Call before {@link #execute}. */
  public LoadRun startGate(StartGate gate) {
    this.startGate = gate;
    return this;
  }

  /**
   * Also hands every interval to {@code listener}, on the interval thread, during the tick only
   * (the histograms are recycled afterwards: copy or encode them). Default is none.
   */
  public LoadRun intervalListener(Consumer<Interval> listener) {
    this.intervalListener = listener;
    return this;
  }

  /**
   * Uses these metrics (and their server) instead of creating them from {@code --metrics-port}; the
   * caller owns them and closes them after the run. Default is none.
   */
  public LoadRun metrics(LoadgenMetrics shared) {
    metrics.borrow(shared);
    return this;
  }

  /**
   * Supplies the result's {@code scaling} object once sending has ended, before the result file is
   * written (the live scaling view of {@code run --prometheus}, or the lab's); null means none.
   */
  public LoadRun scaling(Supplier<JsonNode> scaling) {
    this.scaling = scaling;
    return this;
  }

  /**
   * Runs {@code listener} once sending has ended (schedule done, aborted or stopped by a signal)
   * and the last responses have arrived or the drain timed out, on the thread that called {@link
   * #execute}, before the parts stop and before the {@link #scaling} supplier is asked: the lab
   * stops its controller here. It is not called when sending fails with an exception. Default is
   * none.
   */
  public LoadRun onSendingEnded(Runnable listener) {
    this.sendingEnded = listener;
    return this;
  }

  /**
   * Shows the run on the live page ({@code --ui}): its description, each interval, each new scaling
   * sync from {@link #liveScaling}, the events and the result. Default is {@link LiveView#off()}.
   * The caller owns the view and closes it after the run.
   */
  public LoadRun live(LiveView view) {
    this.live = view;
    return this;
  }

  /**
   * Records the run's events into the result ({@code events[]}) with this recorder, whose time zero
   * the run sets when sending starts; the run adds its own ({@code run} and {@code threshold}
   * kinds). Default is a recorder of the run's own that hands events to the live view.
   */
  public LoadRun events(EventRecorder recorder) {
    this.events = recorder;
    return this;
  }

  /**
   * Asked once per interval for the latest scaling sync (the lab's controller, the Prometheus
   * poller); a new one (not the same object as the last) goes to the live view. Default is none.
   */
  public LoadRun liveScaling(Supplier<?> latest) {
    this.liveScaling = latest;
    return this;
  }

  private void publishLive(IntervalResult r) {
    announceAbort();
    try {
      live.interval(r);
      Object s = liveScaling.get();
      if (s != null && s != lastScaling) {
        lastScaling = s;
        live.scaling(s);
      }
    } catch (RuntimeException e) {
      // The page is a bystander: a failure to show the run must never disturb it.
      err.println("warning: live view: " + e.getMessage());
      err.flush();
    }
  }

  /**
   * The {@code --abort-on} event when the condition is met (on the interval thread, which decides
   * it), not only after sending has stopped: the page lists it as it happens. Once.
   */
  private void announceAbort() {
    String reason = timeline.abortReason();
    if (reason != null && abortAnnounced.compareAndSet(false, true)) {
      event(RunEvent.Kind.THRESHOLD, "abort-on", "aborted: " + reason);
    }
  }

  private void event(RunEvent.Kind kind, String subject, String message) {
    events.publish(new RunEvent(Double.NaN, kind, subject, message));
  }

  /**
   * Adds text to every progress line (the live scaling view's replicas, from {@code run
   * --prometheus}).
   */
  public LoadRun progressSuffix(Supplier<String> suffix) {
    progress.suffix(suffix);
    return this;
  }

  /**
   * Starts the parts, runs to the end of the schedule or until {@code stop} turns true (a signal),
   * stops the parts and returns the outcome.
   *
   * @param onStarted called with the metrics port (-1 when not served) once everything is listening
   *     and the schedule's clock runs
   */
  public Outcome execute(AtomicBoolean stop, IntConsumer onStarted) {
    if (events == null) {
      events = new EventRecorder(live.events());
    }
    timeline.startAt(() -> startGate.awaitStart(stop), intervalListener);
    timeline.publishTo(this::publishLive);
    startParts();
    int metricsPort;
    long start;
    double sendSeconds;
    long unfinished;
    boolean signalled;
    try {
      metricsPort = metrics.metrics().port();
      if (metricsPort >= 0) {
        out.println("metrics  http://127.0.0.1:" + metricsPort + "/metrics");
        out.flush();
      }
      start = timeline.startNanos();
      events.origin(start);
      Map<String, Object> hello = new LinkedHashMap<>();
      hello.put("tool", "surge-loadgen");
      hello.put("version", version);
      hello.put("startedAt", timeline.startedAt().toString());
      hello.put("config", cfg.described());
      live.started(hello);
      onStarted.accept(metricsPort);
      event(
          RunEvent.Kind.RUN,
          "",
          "sending started: " + cfg.profile() + " (shard " + cfg.shard() + ")");
      LoadClient c = client.client();
      if (cfg.closed()) {
        // Closed model: connections users back to back; intended time = actual send.
        new ClosedLoop(
                cfg.connections(),
                (n, intended, done) ->
                    c.send(
                        cfg.mix().pick(n * cfg.shard().count() + cfg.shard().index()),
                        intended,
                        recorder,
                        done),
                recorder)
            .run(
                start,
                Math.round(cfg.profile().durationSeconds() * 1e9),
                () -> stop.get() || timeline.abortReason() != null);
      } else if (c.feedLanes() > 0) {
        // The lean transport: each event loop takes its share of the schedule itself.
        new LoopDispatcher(
                schedule,
                n -> cfg.mix().pick(n * cfg.shard().count() + cfg.shard().index()),
                recorder,
                cfg.maxInFlight(),
                cfg.catchUp())
            .run(c, start, () -> stop.get() || timeline.abortReason() != null);
      } else {
        Dispatcher dispatcher =
            new Dispatcher(
                schedule,
                // n counts this shard's requests; the mix is picked by the request's index in the
                // whole schedule.
                (n, intended) ->
                    c.send(
                        cfg.mix().pick(n * cfg.shard().count() + cfg.shard().index()),
                        intended,
                        recorder),
                recorder,
                cfg.maxInFlight(),
                cfg.catchUp());
        dispatcher.run(start, () -> stop.get() || timeline.abortReason() != null);
      }
      long sendEnd = System.nanoTime();
      signalled = stop.get();
      boolean interrupted = signalled || timeline.abortReason() != null;
      // The period the figures cover: to the stop when stopped early, else the whole schedule (a
      // ramp to zero sends its last request before the end; a dispatcher that ran behind shows in
      // the late count, not here).
      sendSeconds = interrupted ? (sendEnd - start) / 1e9 : cfg.profile().durationSeconds();

      // Let the last responses arrive — briefly when stopped early, up to drainSeconds otherwise.
      double drain = interrupted ? Math.min(2.0, cfg.drainSeconds()) : cfg.drainSeconds();
      long drainDeadline = System.nanoTime() + (long) (drain * 1e9);
      while (recorder.inFlight() > 0 && System.nanoTime() < drainDeadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      unfinished = recorder.inFlight();
      sendingEnded.run();
    } catch (RuntimeException | Error e) {
      stopParts(e);
      throw e;
    }
    stopParts(null);
    return finish(signalled, sendSeconds, unfinished, metricsPort);
  }

  /** Starts every part in order; on failure Jetty has stopped those already started. */
  private void startParts() {
    try {
      start();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the run: " + e.getMessage(), e);
    }
  }

  /**
   * Stops every part in reverse order; the recorder is closed first so that late responses (aborted
   * as the client shuts down) are not counted. {@code failure}, when the run is already failing,
   * keeps a failed stop as a suppressed exception.
   */
  private void stopParts(Throwable failure) {
    recorder.close();
    try {
      stop();
    } catch (Exception e) {
      if (failure != null) {
        failure.addSuppressed(e);
        return;
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot stop the run: " + e.getMessage(), e);
    }
  }

  private Outcome finish(boolean signalled, double sendSeconds, long unfinished, int metricsPort) {
    double sendTarget = sendSeconds > 0 ? schedule.countBefore(sendSeconds) / sendSeconds : 0;
    Summary summary = results.summary(sendSeconds, sendTarget, unfinished);
    List<ThresholdOutcome> outcomes = cfg.thresholds().evaluate(summary);
    String abortReason = timeline.abortReason();
    boolean aborted = abortReason != null;
    boolean passed = Thresholds.allPassed(outcomes) && !aborted;
    Checks checks = new Checks(passed, aborted, abortReason, outcomes);
    if (aborted) {
      announceAbort(); // when the interval thread did not get to it
    }
    for (ThresholdOutcome o : outcomes) {
      event(
          RunEvent.Kind.THRESHOLD,
          o.threshold(),
          (o.passed() ? "passed" : "failed") + " (actual " + o.actual() + ")");
    }
    event(
        RunEvent.Kind.RUN,
        "",
        (signalled ? "stopped by signal" : aborted ? "aborted" : "sending ended")
            + String.format(Locale.ROOT, " after %.1fs", sendSeconds));
    RunResult bare =
        new RunResult(
            "surge-loadgen",
            version,
            timeline.startedAt().toString(),
            cfg.described(),
            summary,
            results.intervals(),
            checks,
            scaling.get());
    RunResult result = bare.withEvents(events.entries());
    live.ended(result);
    if (signalled) {
      out.println(
          "stopped by signal after "
              + Math.round(sendSeconds)
              + "s; "
              + unfinished
              + " requests unfinished");
    }
    out.println(
        cfg.closed()
            ? "model    closed, "
                + cfg.connections()
                + " connections back to back; latency as measured, no correction (both views"
                + " count from the actual send)"
            : "model    open; latency corrected from the intended send time, uncorrected from the"
                + " actual send");
    out.println("transport " + cfg.transport().key());
    SummaryPrinter.print(out, summary, checks);
    cfg.out()
        .ifPresent(
            path -> {
              ResultWriter.write(result, path);
              out.println("result   " + path);
            });
    cfg.hdrLog().ifPresent(path -> out.println("hdr log  " + path));
    cfg.pushgateway().ifPresent(this::push);
    out.flush();
    return new Outcome(result, (passed ? ExitCode.OK : ExitCode.FAILED).code(), metricsPort);
  }

  private void push(URI gateway) {
    URI uri =
        Pushgateway.pushUri(
            gateway.toString(), cfg.shard().count() > 1 ? cfg.shard().index() : null);
    try {
      Pushgateway.push(uri, metrics.metrics().registry());
      out.println("pushed   " + uri);
    } catch (IOException | RuntimeException e) {
      // The run itself succeeded; a failed push is reported, and the result file still holds the
      // figures.
      err.println("warning: push to " + uri + " failed: " + e.getMessage());
    }
  }
}
