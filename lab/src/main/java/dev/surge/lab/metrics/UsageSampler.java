package dev.surge.lab.metrics;

import dev.surge.cluster.proc.ProcessUsage;
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
 * The lab's metrics-server: once a second it reads every running pod's CPU counter and working set
 * ({@link ProcessUsage}, the one reader shared with the system tests) into that pod's {@link
 * CpuWindow} and {@link MemoryWindow}; the controller asks for each pod's windowed averages at its
 * syncs ({@link #sample}, {@link #memory}).
 *
 * <p>Thread-safety: readings are taken on the sampler's own thread; {@link #sample(String)} may be
 * called from any thread (both synchronize on this sampler).
 */
public final class UsageSampler implements AutoCloseable {
  private final double windowSeconds;
  private final Supplier<Map<String, Long>> pids;
  private final DoubleSupplier clock;
  private final Map<String, CpuWindow> windows = new HashMap<>();
  private final Map<String, MemoryWindow> memory = new HashMap<>();
  private final Map<String, double[]> lastReading = new HashMap<>();
  private double totalCpuSeconds;
  private double totalPodSeconds;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-usage-sampler");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param windowSeconds metrics-server's window
   * @param pids the pods to read: name → pid
   * @param clock the lab's clock in seconds
   */
  public UsageSampler(
      double windowSeconds, Supplier<Map<String, Long>> pids, DoubleSupplier clock) {
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
    memory.keySet().retainAll(current.keySet());
    lastReading.keySet().retainAll(current.keySet());
    double now = clock.getAsDouble();
    current.forEach(
        (pod, pid) -> {
          Optional<ProcessUsage> usage = ProcessUsage.read(pid);
          if (usage.isPresent()) {
            double cpu = usage.get().cpuSeconds();
            windows.computeIfAbsent(pod, k -> new CpuWindow(windowSeconds)).add(now, cpu);
            memory
                .computeIfAbsent(pod, k -> new MemoryWindow(windowSeconds))
                .add(now, usage.get().workingSetBytes());
            accumulate(pod, now, cpu);
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

  /** The pod's average working set over the last window, empty when it has not run for one yet. */
  public synchronized Optional<MemoryWindow.Sample> memory(String pod) {
    MemoryWindow w = memory.get(pod);
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
