package dev.surge.lab.metrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One pod's working-set readings and the lab's metrics-server view of them: the average over the
 * last window, from the newest reading back to the newest reading at least a window older — the
 * same span {@link CpuWindow} averages CPU over, so both metrics of a pod describe one period.
 * Until the readings span a window there is no sample, as for CPU. (metrics-server itself reports
 * the working set of its latest scrape; averaging one-second readings over the window smooths the
 * JVM's GC saw-tooth the same way the window smooths CPU, and is what the lab documents.)
 *
 * <p>Not thread-safe: {@link UsageSampler} owns each instance and calls it from its one thread.
 *
 * <pre>{@code
 * MemoryWindow w = new MemoryWindow(10);
 * w.add(0, 100); w.add(5, 200); w.add(10, 300);
 * w.sample().get().bytes(); // 200
 * }</pre>
 */
public final class MemoryWindow {
  private final double windowSeconds;
  private final Deque<double[]> readings = new ArrayDeque<>();

  /**
   * The averaged working set.
   *
   * @param bytes average working-set bytes over the window
   * @param timestamp time of the newest reading
   * @param windowSeconds the span averaged (≥ the configured window)
   */
  public record Sample(long bytes, double timestamp, double windowSeconds) {}

  public MemoryWindow(double windowSeconds) {
    if (!(windowSeconds > 0)) {
      throw new IllegalArgumentException("metric window must be > 0 s, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
  }

  /** Adds a reading; a time that does not move forward is ignored. */
  public void add(double time, long bytes) {
    double[] last = readings.peekLast();
    if (last != null && time <= last[0]) {
      return;
    }
    readings.addLast(new double[] {time, bytes});
    // Keep the newest reading that is a whole window older than the newest one, drop older ones.
    while (readings.size() > 2) {
      var it = readings.iterator();
      it.next();
      double[] second = it.next();
      if (time - second[0] >= windowSeconds) {
        readings.removeFirst();
      } else {
        break;
      }
    }
  }

  /** The time-weighted average over the last window, empty until the readings span one. */
  public Optional<Sample> sample() {
    double[] newest = readings.peekLast();
    double[] oldest = readings.peekFirst();
    if (newest == null || newest[0] - oldest[0] < windowSeconds) {
      return Optional.empty();
    }
    // Trapezoids between consecutive readings: unevenly spaced readings weigh by their span.
    double area = 0;
    double[] prev = null;
    for (double[] r : readings) {
      if (prev != null) {
        area += (r[0] - prev[0]) * (r[1] + prev[1]) / 2;
      }
      prev = r;
    }
    double span = newest[0] - oldest[0];
    return Optional.of(new Sample(Math.round(area / span), newest[0], span));
  }
}
