package dev.surge.loadgen.cli;

import dev.surge.common.cli.ShutdownSignal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a load run so that Ctrl-C or SIGTERM stops sending but still lets the run wait briefly for
 * in-flight requests and write its summary and result file: a shutdown hook raises the stop flag
 * and holds the JVM until the run has finished its output (bounded wait).
 */
final class Signals {
  /** Longest the shutdown hook holds the JVM for the run to write its output. */
  static final long HOOK_WAIT_SECONDS = 15;

  private Signals() {}

  /**
   * Runs {@code body} with a stop flag that Ctrl-C/SIGTERM raises; the shutdown hook holds the JVM
   * (bounded) until {@code body} has returned, so its output is still written.
   */
  static <T> T withStopFlag(java.util.function.Function<AtomicBoolean, T> body) {
    return ShutdownSignal.withStopFlag(
        "surge-loadgen-shutdown", Duration.ofSeconds(HOOK_WAIT_SECONDS), () -> {}, body);
  }
}
