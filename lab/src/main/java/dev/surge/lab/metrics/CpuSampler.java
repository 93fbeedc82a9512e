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
    double now = clock.getAsDouble();
    current.forEach(
        (pod, pid) -> {
          OptionalDouble cpu = ProcStat.cpuSeconds(pid);
          if (cpu.isPresent()) {
            windows
                .computeIfAbsent(pod, k -> new CpuWindow(windowSeconds))
                .add(now, cpu.getAsDouble());
          }
        });
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
