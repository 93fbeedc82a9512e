package dev.surge.loadgen.dispatch;

import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Sends each request of a {@link Schedule} at its absolute intended time: request n is due at
 * {@code start + schedule.sendTimeNanos(n)}, and the dispatcher waits for that instant — never a
 * relative sleep, so delays do not accumulate. It never blocks on the target: over {@code
 * maxInFlight} a due request is counted as dropped (with its intended time), never queued; requests
 * already overdue follow the {@link CatchUp} policy; sends more than {@link RunRecorder#LATE_NANOS}
 * behind count as late.
 *
 * <p>This is the dispatcher of the Jetty transport (HTTP/2, https): one thread that parks until the
 * next request is due, then sends every due request from there. The lean transport's loops take
 * their share of the schedule themselves ({@link LoopDispatcher}, {@link Lane}), with no thread
 * hand-off.
 *
 * <pre>{@code
 * Dispatcher d = new Dispatcher(schedule, (n, intended) -> client.send(t, intended, rec), rec, 1000, CatchUp.BURST);
 * long due = d.run(System.nanoTime(), stopFlag::get);
 * }</pre>
 */
public final class Dispatcher {
  /** With {@link CatchUp#SKIP}, a request this far behind its intended time is dropped. */
  public static final long SKIP_AFTER_NANOS = 100_000_000L;

  /** Longest single park, so that a stop request is noticed promptly even in a long pause stage. */
  private static final long MAX_PARK_NANOS = 50_000_000L;

  /** Hands one request to the client. */
  @FunctionalInterface
  public interface Sender {
    /**
     * Sends request {@code n} of the schedule, intended at {@code intendedNanos} (same clock as the
     * dispatcher).
     */
    void send(long n, long intendedNanos);
  }

  private final Schedule schedule;
  private final Sender sender;
  private final RunRecorder recorder;
  private final int maxInFlight;
  private final CatchUp catchUp;
  private final LongSupplier clock;

  public Dispatcher(
      Schedule schedule, Sender sender, RunRecorder recorder, int maxInFlight, CatchUp catchUp) {
    this(schedule, sender, recorder, maxInFlight, catchUp, System::nanoTime);
  }

  Dispatcher(
      Schedule schedule,
      Sender sender,
      RunRecorder recorder,
      int maxInFlight,
      CatchUp catchUp,
      LongSupplier clock) {
    this.schedule = schedule;
    this.sender = sender;
    this.recorder = recorder;
    this.maxInFlight = maxInFlight;
    this.catchUp = catchUp;
    this.clock = clock;
  }

  /**
   * Runs the schedule from {@code startNanos} on the calling thread until the end of its profile or
   * until {@code stop} turns true.
   *
   * @return the number of requests whose time came (sent or dropped)
   */
  public long run(long startNanos, java.util.function.BooleanSupplier stop) {
    long size = schedule.size();
    long n = 0;
    for (; n < size; n++) {
      long intended = startNanos + schedule.sendTimeNanos(n);
      if (!waitUntil(intended, stop)) {
        break;
      }
      if (admit(recorder, catchUp, maxInFlight, intended, clock.getAsLong())) {
        sender.send(n, intended);
      }
    }
    if (n == size) {
      // The schedule may end with a quiet stretch (a pause, a ramp to zero, rate 0): the run lasts
      // the whole profile.
      waitUntil(startNanos + Math.round(schedule.profile().durationSeconds() * 1e9), stop);
    }
    return n;
  }

  /**
   * The open model's rule for a request whose time came, shared by this dispatcher and the {@link
   * Lane}s: dropped when it is too far behind under {@link CatchUp#SKIP} or when {@code
   * maxInFlight} requests are outstanding, else counted as sent (late if more than {@link
   * RunRecorder#LATE_NANOS} behind). Never blocks, never queues.
   *
   * @return whether to send it now
   */
  static boolean admit(
      RunRecorder recorder, CatchUp catchUp, int maxInFlight, long intended, long now) {
    if (catchUp == CatchUp.SKIP && now - intended > SKIP_AFTER_NANOS) {
      recorder.dropped();
      return false;
    }
    if (recorder.inFlight() >= maxInFlight) {
      recorder.dropped();
      return false;
    }
    recorder.sent(intended, now);
    return true;
  }

  /** Waits for an absolute instant; false when stopped first. */
  private boolean waitUntil(long deadline, java.util.function.BooleanSupplier stop) {
    while (true) {
      if (stop.getAsBoolean()) {
        return false;
      }
      long remaining = deadline - clock.getAsLong();
      if (remaining <= 0) {
        return true;
      }
      LockSupport.parkNanos(Math.min(remaining, MAX_PARK_NANOS));
    }
  }
}
