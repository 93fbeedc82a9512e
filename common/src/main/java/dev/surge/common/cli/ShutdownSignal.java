package dev.surge.common.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The one place where a surge program turns Ctrl-C or SIGTERM into something it can act on. Two
 * shapes, both a JVM shutdown hook underneath:
 *
 * <ul>
 *   <li>{@link #withStopFlag}: a body that polls a stop flag (the loadgen's run, the lab). The hook
 *       raises the flag and holds the JVM (bounded) until the body has returned, so the body still
 *       writes its output and stops its children; when the hold runs out the hook runs {@code
 *       onTimeout} (the lab kills its pods) and lets the JVM go.
 *   <li>{@link #onSignal}: an action the hook runs itself (the app drains and halts).
 * </ul>
 *
 * <pre>{@code
 * int code = ShutdownSignal.withStopFlag("surge-loadgen-shutdown", Duration.ofSeconds(15),
 *     () -> {}, stop -> run.execute(stop, port -> {}).exitCode());
 * }</pre>
 *
 * <p>Thread-safety: the flag is raised on the hook's thread and read by the body's; a hook is
 * registered and removed by the thread that calls these methods.
 */
public final class ShutdownSignal {
  private ShutdownSignal() {}

  /**
   * Runs {@code body} with a stop flag that a signal raises. The hook holds the JVM until {@code
   * body} has returned, at most {@code hold}; then it runs {@code onTimeout}.
   *
   * @param threadName the hook thread's name (seen in thread dumps)
   * @param hold longest the hook waits for the body after the signal
   * @param onTimeout what the hook does when the body has not returned in time (may be a no-op)
   * @param body the work; its result is returned
   */
  public static <T> T withStopFlag(
      String threadName, Duration hold, Runnable onTimeout, Function<AtomicBoolean, T> body) {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                if (!finished.await(hold.toMillis(), TimeUnit.MILLISECONDS)) {
                  onTimeout.run();
                }
              } catch (InterruptedException e) {
                onTimeout.run();
                Thread.currentThread().interrupt();
              }
            },
            threadName);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return body.apply(stop);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running (Ctrl-C or SIGTERM): it ends now that the body has returned.
      }
    }
  }

  /**
   * Runs {@code action} on a signal (in a shutdown hook).
   *
   * @return false when the JVM is already shutting down (a signal came first): the caller stops now
   *     instead
   */
  public static boolean onSignal(String threadName, Runnable action) {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(action, threadName));
      return true;
    } catch (IllegalStateException shutdownInProgress) {
      return false;
    }
  }
}
