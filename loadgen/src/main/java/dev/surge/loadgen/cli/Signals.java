package dev.surge.loadgen.cli;

import dev.surge.common.Version;
import dev.surge.common.cli.ShutdownSignal;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Runs a load run so that Ctrl-C or SIGTERM stops sending but still lets the run wait briefly for
 * in-flight requests and write its summary and result file: a shutdown hook raises the stop flag
 * and holds the JVM until the run has finished its output (bounded wait).
 */
final class Signals {
  /** Longest the shutdown hook holds the JVM for the run to write its output. */
  static final long HOOK_WAIT_SECONDS = 15;

  private Signals() {}

  static LoadRun.Outcome runWithSignalHandling(
      RunConfig cfg, PrintWriter out, PrintWriter err, IntConsumer onStarted) {
    return runWithSignalHandling(cfg, out, err, onStarted, () -> "");
  }

  /** As above, with text appended to every progress line (the live scaling view). */
  static LoadRun.Outcome runWithSignalHandling(
      RunConfig cfg,
      PrintWriter out,
      PrintWriter err,
      IntConsumer onStarted,
      java.util.function.Supplier<String> progressSuffix) {
    return runWithSignalHandling(cfg, out, err, onStarted, progressSuffix, () -> null);
  }

  /** As above, with the result's {@code scaling} object supplied once sending has ended. */
  static LoadRun.Outcome runWithSignalHandling(
      RunConfig cfg,
      PrintWriter out,
      PrintWriter err,
      IntConsumer onStarted,
      java.util.function.Supplier<String> progressSuffix,
      java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> scaling) {
    return withStopFlag(
        stop ->
            new LoadRun(cfg, out, err, Version.get())
                .progressSuffix(progressSuffix)
                .scaling(scaling)
                .execute(stop, onStarted));
  }

  /**
   * Runs {@code body} with a stop flag that Ctrl-C/SIGTERM raises; the shutdown hook holds the JVM
   * (bounded) until {@code body} has returned, so its output is still written.
   */
  static <T> T withStopFlag(java.util.function.Function<AtomicBoolean, T> body) {
    return ShutdownSignal.withStopFlag(
        "surge-loadgen-shutdown", Duration.ofSeconds(HOOK_WAIT_SECONDS), () -> {}, body);
  }
}
