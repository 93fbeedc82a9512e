package dev.surge.lab.pod;

/**
 * The kubelet's CrashLoopBackOff for one container: after each exit the next start waits 10 s,
 * doubling per consecutive exit up to 5 min; a container that ran for 10 min before it exited
 * starts the sequence over. Times are passed in (seconds on the lab's clock), so tests drive it
 * with any clock.
 *
 * <pre>{@code
 * RestartBackoff b = new RestartBackoff();
 * b.next(0, 1);   // 10
 * b.next(11, 12); // 20
 * }</pre>
 *
 * <p>Not thread-safe: the {@link ReplicaSet} calls it from the container's exit callback only.
 */
public final class RestartBackoff {
  /** The first delay (the kubelet's {@code initialBackOff}). */
  public static final double INITIAL_SECONDS = 10;

  /** The longest delay ({@code MaxContainerBackOff}). */
  public static final double MAX_SECONDS = 300;

  /** A container that ran this long before exiting resets the back-off. */
  public static final double RESET_AFTER_SECONDS = 600;

  private int streak;

  /**
   * The delay before the next start of a container that started at {@code startedAt} and exited at
   * {@code exitedAt}.
   */
  public double next(double startedAt, double exitedAt) {
    if (exitedAt - startedAt >= RESET_AFTER_SECONDS) {
      streak = 0;
    }
    double delay = Math.min(MAX_SECONDS, INITIAL_SECONDS * Math.pow(2, Math.min(streak, 30)));
    streak++;
    return delay;
  }
}
