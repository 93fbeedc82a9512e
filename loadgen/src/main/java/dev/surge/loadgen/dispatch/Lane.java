package dev.surge.loadgen.dispatch;

import dev.surge.loadgen.client.Feed;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One event loop's share of a {@link Schedule}: of {@code lanes} lanes, lane {@code i} takes the
 * schedule's requests {@code i, i + lanes, i + 2·lanes, ...}, so the lanes together send exactly
 * the schedule, interleaved in time, each at its share of the rate. Request {@code n} is intended
 * at {@code start + schedule.sendTimeNanos(n)}, exactly, whenever the loop gets to it: a batch
 * taken at one wake-up holds every request due by then, each with its own intended time, so the
 * corrected latency never sees the batching, and a loop that stalled catches up with the same rules
 * as the {@link Dispatcher} ({@link CatchUp}, the in-flight cap, late counting).
 *
 * <pre>{@code
 * Lane lane = new Lane(schedule, start, 0, 2, n -> mix.pick(n), recorder, 1024, CatchUp.BURST);
 * client.feed(0, lane);   // loop 0 takes requests 0, 2, 4, ... on its own timer
 * lane.stop();            // any thread: nothing more is taken
 * long due = lane.taken(); // requests whose time came (sent or dropped)
 * }</pre>
 *
 * <p>Concurrency contract: {@link #nextDue} and {@link #take} are the {@link Feed}'s and run on the
 * owning loop's thread only; {@link #stop}, {@link #finished} and {@link #taken} may be called from
 * any thread (the count is published with release semantics after each request).
 */
public final class Lane implements Feed {
  private final Schedule schedule;
  private final long startNanos;
  private final int lane;
  private final int lanes;
  private final LongFunction<RequestTemplate> pick;
  private final RunRecorder recorder;
  private final int maxInFlight;
  private final CatchUp catchUp;
  private final long size;
  private final AtomicLong taken = new AtomicLong();
  private long next; // lane-local index of the next request; loop thread only
  private long nextDue;
  private volatile boolean stopped;

  /**
   * @param pick the template of the schedule's request {@code n}
   */
  public Lane(
      Schedule schedule,
      long startNanos,
      int lane,
      int lanes,
      LongFunction<RequestTemplate> pick,
      RunRecorder recorder,
      int maxInFlight,
      CatchUp catchUp) {
    if (lanes < 1 || lane < 0 || lane >= lanes) {
      throw new IllegalArgumentException("lane " + lane + " of " + lanes + " does not exist");
    }
    this.schedule = schedule;
    this.startNanos = startNanos;
    this.lane = lane;
    this.lanes = lanes;
    this.pick = pick;
    this.recorder = recorder;
    this.maxInFlight = maxInFlight;
    this.catchUp = catchUp;
    long whole = schedule.size();
    this.size = whole <= lane ? 0 : (whole - lane + lanes - 1) / lanes;
    this.nextDue = size > 0 ? dueOf(0) : NONE;
  }

  /** Requests in this lane. */
  public long size() {
    return size;
  }

  /** The schedule index of this lane's {@code k}-th request. */
  long scheduleIndex(long k) {
    return k * lanes + lane;
  }

  private long dueOf(long k) {
    return startNanos + schedule.sendTimeNanos(scheduleIndex(k));
  }

  @Override
  public long nextDue() {
    return stopped ? NONE : nextDue;
  }

  @Override
  public RequestTemplate take(long now) {
    long intended = nextDue;
    long n = scheduleIndex(next);
    next++;
    nextDue = next < size ? dueOf(next) : NONE;
    taken.lazySet(next);
    if (!Dispatcher.admit(recorder, catchUp, maxInFlight, intended, now)) {
      return null;
    }
    return pick.apply(n);
  }

  @Override
  public RunRecorder recorder() {
    return recorder;
  }

  /** Nothing more is taken from now on. Any thread. */
  public void stop() {
    stopped = true;
  }

  /** Whether every request of the lane has been taken. Any thread. */
  public boolean finished() {
    return taken.get() >= size;
  }

  /** Requests taken so far (sent or dropped). Any thread. */
  public long taken() {
    return taken.get();
  }
}
