package dev.surge.loadgen.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.client.JitWarmUp;
import dev.surge.loadgen.client.LoadClient;
import dev.surge.loadgen.dispatch.Dispatcher;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import dev.surge.loadgen.metrics.Pushgateway;
import dev.surge.loadgen.output.HdrLog;
import dev.surge.loadgen.output.Progress;
import dev.surge.loadgen.output.ResultBuilder;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import dev.surge.loadgen.output.SummaryPrinter;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One load run from a {@link RunConfig}: wires schedule → dispatcher → client → recorder, and once
 * per second hands the recorder's interval to the consumers (result builder, HDR log, Prometheus
 * metrics, progress line, abort check). At the end — schedule done, aborted, or stopped by a signal
 * — it waits briefly for in-flight requests, then writes the summary, the result file and the push,
 * and returns the exit code.
 *
 * <pre>{@code
 * LoadRun.Outcome o = new LoadRun(config, out, err).execute(stopFlag);
 * int exit = o.exitCode(); // 0 ok, 1 thresholds failed or aborted
 * }</pre>
 */
public final class LoadRun {
  private static final long INTERVAL_NANOS = 1_000_000_000L;
  // Enough for the client's hot path to leave the interpreter; bounded so a slow machine starts
  // within 3 s anyway.
  private static final int WARM_UP_REQUESTS = 3000;
  private static final int WARM_UP_IN_FLIGHT = 16;
  private static final long WARM_UP_BUDGET_MILLIS = 3000;

  private final RunConfig cfg;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String version;
  private java.util.function.Supplier<String> progressSuffix = () -> "";
  private Supplier<JsonNode> scaling = () -> null;

  /** What a run produced. */
  public record Outcome(RunResult result, int exitCode, int metricsPort) {}

  public LoadRun(RunConfig cfg, PrintWriter out, PrintWriter err, String version) {
    this.cfg = cfg;
    this.out = out;
    this.err = err;
    this.version = version;
  }

  /**
   * Adds text to every progress line (the live scaling view's replicas, from {@code run
   * --prometheus}).
   */
  public LoadRun progressSuffix(java.util.function.Supplier<String> suffix) {
    this.progressSuffix = suffix;
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
   * Runs to the end of the schedule or until {@code stop} turns true (a signal) and returns the
   * outcome.
   *
   * @param onStarted called with the metrics port (-1 when not served) once everything is listening
   */
  public Outcome execute(AtomicBoolean stop, java.util.function.IntConsumer onStarted) {
    Schedule schedule = Schedule.shard(cfg.profile(), cfg.shard().index(), cfg.shard().count());
    RunRecorder recorder = new RunRecorder();
    ResultBuilder results = new ResultBuilder();
    boolean inPlace =
        switch (cfg.progress()) {
          case TTY -> true;
          case AUTO -> System.console() != null;
          default -> false;
        };
    Progress progress =
        cfg.progress() == RunConfig.ProgressMode.OFF ? null : new Progress(out, inPlace);
    if (progress != null) {
      progress.suffix(progressSuffix);
    }

    try (LoadgenMetrics metrics = LoadgenMetrics.create(cfg.metricsPort());
        LoadClient client =
            LoadClient.builder()
                .connections(cfg.connections())
                .http2(cfg.http2())
                .maxQueued(Math.max(cfg.maxInFlight(), 1))
                .maxConnectionAgeMillis(cfg.maxConnectionAgeMillis())
                .idleTimeoutMillis(cfg.idleTimeoutMillis())
                .connectTimeoutMillis(cfg.connectTimeoutMillis())
                .requestTimeoutMillis(cfg.requestTimeoutMillis())
                .userAgent("surge-loadgen/" + version)
                .build()) {
      client.warmUp(
          cfg.mix().entries().stream()
              .map(w -> w.template().uri())
              .collect(java.util.stream.Collectors.toSet()),
          Math.min(cfg.connections(), 4));
      if (!cfg.http2()) {
        // The loopback warm-up server speaks HTTP/1.1 only; an HTTP/2 run starts cold.
        JitWarmUp.run(client, WARM_UP_REQUESTS, WARM_UP_IN_FLIGHT, WARM_UP_BUDGET_MILLIS);
      }
      if (metrics.port() >= 0) {
        out.println("metrics  http://127.0.0.1:" + metrics.port() + "/metrics");
        out.flush();
      }
      onStarted.accept(metrics.port());
      Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      long start = System.nanoTime();
      HdrLog hdr = cfg.hdrLog() == null ? null : new HdrLog(cfg.hdrLog(), startedAt.toEpochMilli());
      IntervalPipeline pipeline =
          new IntervalPipeline(
              recorder, schedule, start, results, hdr, metrics, progress, cfg.abort());

      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "surge-loadgen-interval");
                t.setDaemon(true);
                return t;
              });
      var unused =
          ticker.scheduleAtFixedRate(
              () -> {
                try {
                  pipeline.tick(System.nanoTime());
                } catch (RuntimeException e) {
                  // An interval consumer failing (e.g. the disk is full) must not silently stop the
                  // progress: say so.
                  err.println("error: interval processing failed: " + e.getMessage());
                  err.flush();
                }
              },
              INTERVAL_NANOS,
              INTERVAL_NANOS,
              TimeUnit.NANOSECONDS);

      Dispatcher dispatcher =
          new Dispatcher(
              schedule,
              // n counts this shard's requests; the mix is picked by the request's index in the
              // whole schedule.
              (n, intended) ->
                  client.send(
                      cfg.mix().pick(n * cfg.shard().count() + cfg.shard().index()),
                      intended,
                      recorder),
              recorder,
              cfg.maxInFlight(),
              cfg.catchUp());
      dispatcher.run(start, () -> stop.get() || pipeline.abortReason() != null);
      long sendEnd = System.nanoTime();
      boolean interrupted = stop.get() || pipeline.abortReason() != null;
      // The period the figures cover: to the stop when stopped early, else the whole schedule (a
      // ramp to zero sends
      // its last request before the end; a dispatcher that ran behind shows in the late count, not
      // here).
      double sendSeconds = interrupted ? (sendEnd - start) / 1e9 : cfg.profile().durationSeconds();

      // Let the last responses arrive — briefly when stopped early, up to drainSeconds otherwise.
      double drain = interrupted ? Math.min(2.0, cfg.drainSeconds()) : cfg.drainSeconds();
      long drainDeadline = System.nanoTime() + (long) (drain * 1e9);
      while (recorder.inFlight() > 0 && System.nanoTime() < drainDeadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
      }
      ticker.shutdown();
      try {
        if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
          err.println("warning: interval thread did not stop within 5s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long unfinished = recorder.inFlight();
      recorder.close();
      pipeline.tick(System.nanoTime());
      if (progress != null) {
        progress.finish();
      }
      if (hdr != null) {
        hdr.close();
      }

      double sendTarget = sendSeconds > 0 ? schedule.countBefore(sendSeconds) / sendSeconds : 0;
      Summary summary = results.summary(sendSeconds, sendTarget, unfinished);
      List<ThresholdOutcome> outcomes = cfg.thresholds().evaluate(summary);
      String abortReason = pipeline.abortReason();
      boolean aborted = abortReason != null;
      boolean passed = Thresholds.allPassed(outcomes) && !aborted;
      Checks checks = new Checks(passed, aborted, abortReason, outcomes);
      RunResult result =
          new RunResult(
              "surge-loadgen",
              version,
              startedAt.toString(),
              cfg.described(),
              summary,
              results.intervals(),
              checks,
              scaling.get());
      if (stop.get()) {
        out.println(
            "stopped by signal after "
                + Math.round(sendSeconds)
                + "s; "
                + unfinished
                + " requests unfinished");
      }
      SummaryPrinter.print(out, summary, checks);
      if (cfg.out() != null) {
        ResultWriter.write(result, cfg.out());
        out.println("result   " + cfg.out());
      }
      if (cfg.hdrLog() != null) {
        out.println("hdr log  " + cfg.hdrLog());
      }
      if (cfg.pushgateway() != null) {
        var uri =
            Pushgateway.pushUri(
                cfg.pushgateway(), cfg.shard().count() > 1 ? cfg.shard().index() : null);
        try {
          Pushgateway.push(uri, metrics.registry());
          out.println("pushed   " + uri);
        } catch (IOException | RuntimeException e) {
          // The run itself succeeded; a failed push is reported, and the result file still holds
          // the figures.
          err.println("warning: push to " + uri + " failed: " + e.getMessage());
        }
      }
      out.flush();
      return new Outcome(result, passed ? 0 : 1, metrics.port());
    }
  }
}
