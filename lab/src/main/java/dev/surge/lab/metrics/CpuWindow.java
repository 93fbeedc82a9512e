package dev.surge.lab.metrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * One pod's cumulative CPU readings and the metrics-server view of them: the average usage over (at
 * least) the last {@code window} seconds, from the newest reading back to the newest reading that
 * is at least a window older. Until the pod has readings a window apart there is no sample, as
 * metrics-server has none for a pod younger than its resolution.
 *
 * <p>Not thread-safe: {@link UsageSampler} owns each instance and calls it from its one thread.
 *
 * <pre>{@code
 * CpuWindow w = new CpuWindow(15);
 * w.add(0, 1.0); w.add(15, 4.0);
 * w.sample().get().millicores(); // 200
 * }</pre>
 */
public final class CpuWindow {
  private final double windowSeconds;
  private final Deque<Reading> readings = new ArrayDeque<>();

  /** A cumulative reading: CPU seconds the process has used by {@code time}. */
  record Reading(double time, double cpuSeconds) {}

  /**
   * The averaged usage.
   *
   * @param millicores average CPU over the window
   * @param timestamp time of the newest reading (the window's end)
   * @param windowSeconds the span actually averaged (≥ the configured window)
   */
  public record Sample(long millicores, double timestamp, double windowSeconds) {}

  public CpuWindow(double windowSeconds) {
    if (!(windowSeconds > 0)) {
      throw new IllegalArgumentException("metric window must be > 0 s, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
  }

  /**
   * Adds a reading; times must not go backwards. A counter that went backwards (a reused pid) is
   * not a reading of this process: the history restarts from it.
   */
  public void add(double time, double cpuSeconds) {
    Reading last = readings.peekLast();
    if (last != null && (time <= last.time() || cpuSeconds < last.cpuSeconds())) {
      if (time <= last.time()) {
        return;
      }
      readings.clear();
    }
    readings.addLast(new Reading(time, cpuSeconds));
    // Keep the newest reading that is a whole window older than the newest one, drop the rest.
    while (readings.size() > 2) {
      Iterator<Reading> it = readings.iterator();
      it.next();
      Reading second = it.next();
      if (time - second.time() >= windowSeconds) {
        readings.removeFirst();
      } else {
        break;
      }
    }
  }

  /** The average over the last window, empty until the readings span one. */
  public Optional<Sample> sample() {
    Reading newest = readings.peekLast();
    Reading base = null;
    for (Reading r : readings) {
      if (newest.time() - r.time() >= windowSeconds) {
        base = r;
      }
    }
    if (base == null) {
      return Optional.empty();
    }
    double span = newest.time() - base.time();
    double used = newest.cpuSeconds() - base.cpuSeconds();
    return Optional.of(new Sample(Math.round(used / span * 1000), newest.time(), span));
  }
}
