package dev.surge.lab.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The lab's metrics-server: once a second it reads every running pod's CPU counter ({@link
 * ProcStat}) into that pod's {@link CpuWindow}; the controller asks for each pod's windowed average
 * at its syncs.
 *
 * <p>Thread-safety: readings are taken on the sampler's own thread; {@link #sample(String)} may be
 * called from any thread (both synchronize on this sampler).
 */
public final class CpuSampler implements AutoCloseable {
  private final double windowSeconds;
  private final Supplier<Map<String, Long>> pids;
  private final DoubleSupplier clock;
  private final Map<String, CpuWindow> windows = new HashMap<>();
  private final Map<String, double[]> lastReading = new HashMap<>();
  private double totalCpuSeconds;
  private double totalPodSeconds;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-cpu-sampler");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param windowSeconds metrics-server's window
   * @param pids the pods to read: name → pid
   * @param clock the lab's clock in seconds
   */
  public CpuSampler(double windowSeconds, Supplier<Map<String, Long>> pids, DoubleSupplier clock) {
    this.windowSeconds = windowSeconds;
    this.pids = pids;
    this.clock = clock;
  }

  public double windowSeconds() {
    return windowSeconds;
  }

  /** Starts reading once a second. */
  public void start() {
    var unused = executor.scheduleAtFixedRate(this::readAll, 0, 1, TimeUnit.SECONDS);
  }

  synchronized void readAll() {
    Map<String, Long> current = pids.get();
    windows.keySet().retainAll(current.keySet());
    lastReading.keySet().retainAll(current.keySet());
    double now = clock.getAsDouble();
    current.forEach(
        (pod, pid) -> {
          OptionalDouble cpu = ProcStat.cpuSeconds(pid);
          if (cpu.isPresent()) {
            windows
                .computeIfAbsent(pod, k -> new CpuWindow(windowSeconds))
                .add(now, cpu.getAsDouble());
            accumulate(pod, now, cpu.getAsDouble());
          }
        });
  }

  /** Adds the CPU a pod used since its previous reading to the running totals. */
  void accumulate(String pod, double now, double cpuSeconds) {
    double[] previous = lastReading.put(pod, new double[] {now, cpuSeconds});
    if (previous != null && now > previous[0] && cpuSeconds >= previous[1]) {
      totalCpuSeconds += cpuSeconds - previous[1];
      totalPodSeconds += now - previous[0];
    }
  }

  /**
   * CPU seconds used by every pod read so far (pods that have since gone included), and the
   * pod-seconds over which it was read: the lab's measure of what the load actually cost.
   */
  public record Totals(double cpuSeconds, double podSeconds) {
    /**
     * The CPU per request between {@code before} and this, with {@code idleMillicores} per pod
     * taken out; empty when nothing was served or the figure is not positive.
     */
    public OptionalDouble cpuPerRequestSince(Totals before, long requests, double idleMillicores) {
      if (requests <= 0) {
        return OptionalDouble.empty();
      }
      double busy =
          (cpuSeconds - before.cpuSeconds)
              - idleMillicores / 1000.0 * (podSeconds - before.podSeconds);
      return busy > 0 ? OptionalDouble.of(busy / requests) : OptionalDouble.empty();
    }
  }

  /** The running totals (see {@link Totals}). */
  public synchronized Totals totals() {
    return new Totals(totalCpuSeconds, totalPodSeconds);
  }

  /** The pod's average CPU over the last window, empty when it has not run for one yet. */
  public synchronized Optional<CpuWindow.Sample> sample(String pod) {
    CpuWindow w = windows.get(pod);
    return w == null ? Optional.empty() : w.sample();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
