package dev.surge.loadgen.run;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The interval thread as a part of the {@link LoadRun}: on start, one daemon thread ({@value
 * #THREAD_NAME}) calls {@code tick} with {@link System#nanoTime()} once per period; on stop the
 * thread is shut down and waited for, then {@code tick} runs once more on the stopping thread for
 * the last, partial interval. {@code tick} is therefore never called concurrently with itself.
 */
final class IntervalTicker extends AbstractLifeCycle {
  static final String THREAD_NAME = "surge-loadgen-interval";
  private static final long STOP_WAIT_SECONDS = 5;

  private final long periodNanos;
  private final LongConsumer tick;
  private final PrintWriter err;
  private volatile ScheduledExecutorService executor;

  IntervalTicker(long periodNanos, LongConsumer tick, PrintWriter err) {
    this.periodNanos = periodNanos;
    this.tick = tick;
    this.err = err;
  }

  @Override
  protected void doStart() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });
    var unused =
        executor.scheduleAtFixedRate(
            () -> {
              try {
                tick.accept(System.nanoTime());
              } catch (RuntimeException e) {
                // An interval consumer failing (e.g. the disk is full) must not silently stop the
                // progress: say so, and keep ticking.
                err.println("error: interval processing failed: " + e.getMessage());
                err.flush();
              }
            },
            periodNanos,
            periodNanos,
            TimeUnit.NANOSECONDS);
  }

  @Override
  protected void doStop() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        err.println("warning: interval thread did not stop within " + STOP_WAIT_SECONDS + "s");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    tick.accept(System.nanoTime());
  }
}
