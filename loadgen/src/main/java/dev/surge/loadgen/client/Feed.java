package dev.surge.loadgen.client;

import dev.surge.loadgen.record.RunRecorder;

/**
 * The open model's requests for one event loop of the lean transport, taken by that loop on its own
 * timer: the loop that owns the connections decides when a request is due and sends it itself, so
 * there is no hand-off between threads and no wake-up per request. On every wake-up (a response, a
 * timeout sweep, or the timer set for {@link #nextDue}) the loop takes every request that is due,
 * as one batch, each with its own exact intended time.
 *
 * <pre>{@code
 * client.feed(lane, feed); // the loop calls nextDue() and take(now) from then on
 * }</pre>
 *
 * <p>Concurrency contract: {@link #nextDue}, {@link #take} and {@link #recorder} are called on the
 * owning loop's thread only, and never concurrently; an implementation needs no locks for them.
 */
public interface Feed {
  /** {@link #nextDue} when nothing is left to send (the schedule ended, or the run stopped). */
  long NONE = Long.MAX_VALUE;

  /** What a selector's timed wait usually overshoots by (Linux's default timer slack is 50 µs). */
  long TIMER_SLACK_NANOS = 100_000L;

  /** Absolute intended time (the transport's clock, ns) of the next request, or {@link #NONE}. */
  long nextDue();

  /**
   * Takes the request due at {@link #nextDue} ({@code now} is at or after it): the template to send
   * now with that intended time, or null when the feed counted it as dropped instead.
   */
  RequestTemplate take(long now);

  /** Where the loop records the outcome of every request it takes from this feed. */
  RunRecorder recorder();

  /**
   * How long a loop may block in its selector before the request due at {@code due} (absolute ns):
   * 0 when it is due now, else whole milliseconds (the selector's unit), at least 1. It rounds up,
   * minus {@link #TIMER_SLACK_NANOS} for the kernel's timer slack, so a request is taken at most
   * about 1 ms after its time and usually within a tenth of that; it is never taken early.
   */
  static long millisUntil(long due, long now) {
    long remaining = due - now;
    if (remaining <= 0) {
      return 0;
    }
    long millis = (remaining - TIMER_SLACK_NANOS + 999_999L) / 1_000_000L;
    return Math.max(1, millis);
  }
}
