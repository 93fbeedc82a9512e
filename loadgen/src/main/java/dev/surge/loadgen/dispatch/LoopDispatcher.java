package dev.surge.loadgen.dispatch;

import dev.surge.loadgen.client.LoadClient;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The open model on the lean transport: splits the {@link Schedule} into one {@link Lane} per event
 * loop and hands each loop its lane, so that the loop that owns the connections takes its due
 * requests itself, in timer-driven batches (no dispatcher thread waking per request, no hand-off
 * between threads). The same rules as the {@link Dispatcher}: absolute intended times, {@link
 * CatchUp}, the in-flight cap, late counting.
 *
 * <pre>{@code
 * long due = new LoopDispatcher(schedule, n -> mix.pick(n), rec, 1024, CatchUp.BURST)
 *     .run(client, System.nanoTime(), stopFlag::get);
 * }</pre>
 *
 * <p>{@link #run} runs on the calling thread and only waits (a park of up to 20 ms at a time, to
 * notice {@code stop}); the requests are sent on the loop threads.
 */
public final class LoopDispatcher {
  private static final long MAX_PARK_NANOS = 20_000_000L;

  /**
   * How long after the end of the profile the lanes may still be catching up before the run stops
   * them (a loop that died would otherwise hold the run for ever).
   */
  static final long CATCH_UP_GRACE_NANOS = 10_000_000_000L;

  private final Schedule schedule;
  private final LongFunction<RequestTemplate> pick;
  private final RunRecorder recorder;
  private final int maxInFlight;
  private final CatchUp catchUp;
  private final LongSupplier clock;

  /**
   * @param pick the template of this schedule's request {@code n}
   */
  public LoopDispatcher(
      Schedule schedule,
      LongFunction<RequestTemplate> pick,
      RunRecorder recorder,
      int maxInFlight,
      CatchUp catchUp) {
    this.schedule = schedule;
    this.pick = pick;
    this.recorder = recorder;
    this.maxInFlight = maxInFlight;
    this.catchUp = catchUp;
    this.clock = System::nanoTime;
  }

  /**
   * Runs the schedule from {@code startNanos} (the client's clock) on the client's loops until the
   * end of its profile or until {@code stop} turns true.
   *
   * @return the number of requests whose time came (sent or dropped)
   */
  public long run(LoadClient client, long startNanos, BooleanSupplier stop) {
    int n = client.feedLanes();
    if (n < 1) {
      throw new IllegalStateException(
          "the " + client.transport().key() + " transport has no loops");
    }
    Lane[] lanes = new Lane[n];
    for (int i = 0; i < n; i++) {
      lanes[i] = new Lane(schedule, startNanos, i, n, pick, recorder, maxInFlight, catchUp);
      client.feed(i, lanes[i]);
    }
    // The schedule may end with a quiet stretch (a pause, a ramp to zero): the run lasts the
    // whole profile.
    long end = startNanos + Math.round(schedule.profile().durationSeconds() * 1e9);
    try {
      while (!stop.getAsBoolean()) {
        long remaining = end - clock.getAsLong();
        if (remaining <= 0 && (allFinished(lanes) || -remaining > CATCH_UP_GRACE_NANOS)) {
          break;
        }
        LockSupport.parkNanos(Math.max(1_000_000L, Math.min(remaining, MAX_PARK_NANOS)));
      }
    } finally {
      for (Lane lane : lanes) {
        lane.stop();
      }
    }
    long taken = 0;
    for (Lane lane : lanes) {
      taken += lane.taken();
    }
    return taken;
  }

  private static boolean allFinished(Lane[] lanes) {
    for (Lane lane : lanes) {
      if (!lane.finished()) {
        return false;
      }
    }
    return true;
  }
}
