package dev.surge.loadgen.dispatch;

import dev.surge.loadgen.client.Completion;
import dev.surge.loadgen.record.RunRecorder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The closed model ({@code run --closed}), as wrk and hey work: a fixed number of users, each
 * sending its next request as soon as the previous one has an outcome, for a fixed time. There is
 * no schedule, so no intended time other than the actual send: latency is what it is, with no
 * coordinated-omission correction (the recorder's corrected and uncorrected views agree).
 *
 * <pre>{@code
 * ClosedLoop loop = new ClosedLoop(32, (n, done) -> client.send(pick(n), now, rec, done), rec);
 * long sent = loop.run(System.nanoTime(), 10_000_000_000L, stopFlag::get);
 * }</pre>
 *
 * <p>{@link #run} runs on the calling thread and only waits; each user's next request is sent from
 * the transport's I/O thread that recorded the previous outcome.
 */
public final class ClosedLoop {
  /** Sends request {@code n}, intended now, and calls {@code done} when its outcome is recorded. */
  @FunctionalInterface
  public interface Sender {
    void send(long n, long intendedNanos, Completion done);
  }

  private static final long MAX_PARK_NANOS = 20_000_000L;

  private final int users;
  private final Sender sender;
  private final RunRecorder recorder;
  private final LongSupplier clock;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean stopped;

  public ClosedLoop(int users, Sender sender, RunRecorder recorder) {
    this(users, sender, recorder, System::nanoTime);
  }

  ClosedLoop(int users, Sender sender, RunRecorder recorder, LongSupplier clock) {
    if (users < 1) {
      throw new IllegalArgumentException("a closed model needs at least one user, got " + users);
    }
    this.users = users;
    this.sender = sender;
    this.recorder = recorder;
    this.clock = clock;
  }

  /**
   * Starts every user, then waits until {@code durationNanos} after {@code startNanos} or until
   * {@code stop} turns true; users send nothing after that.
   *
   * @return the number of requests sent
   */
  public long run(long startNanos, long durationNanos, BooleanSupplier stop) {
    long end = startNanos + durationNanos;
    for (int i = 0; i < users; i++) {
      Completion user =
          new Completion() {
            @Override
            public void completed() {
              next(this, end);
            }
          };
      next(user, end);
    }
    while (!stop.getAsBoolean()) {
      long remaining = end - clock.getAsLong();
      if (remaining <= 0) {
        break;
      }
      LockSupport.parkNanos(Math.min(remaining, MAX_PARK_NANOS));
    }
    stopped = true;
    return sent.get();
  }

  private void next(Completion user, long end) {
    long now = clock.getAsLong();
    if (stopped || now - end >= 0) {
      return;
    }
    recorder.sent(now, now);
    sender.send(sent.getAndIncrement(), now, user);
  }
}
