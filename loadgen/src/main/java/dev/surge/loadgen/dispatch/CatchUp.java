package dev.surge.loadgen.dispatch;

import java.util.Locale;

/**
 * What the dispatcher does with requests whose intended time has already passed when it gets to
 * them (after a GC pause, a descheduled thread, a slow send): the explicit catch-up policy ({@code
 * --catch-up}).
 */
public enum CatchUp {
  /**
   * Send them at once, back to back, until the dispatcher is on schedule again: the open model's
   * answer (the users arrived; they do not go away because the load generator was slow). Their
   * corrected latency still counts from the intended time. The default.
   */
  BURST,
  /**
   * Count requests more than {@link Dispatcher#SKIP_AFTER_NANOS} behind as dropped instead of
   * sending them.
   */
  SKIP;

  /**
   * Parses {@code burst} or {@code skip}.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static CatchUp parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not a catch-up policy (burst or skip)", e);
    }
  }
}
