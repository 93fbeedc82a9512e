package dev.surge.app.burn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Background CPU burn, like Kubernetes' resource-consumer but cancellable: {@code millicores} of
 * CPU spread over {@code ceil(millicores / 1000)} daemon threads, for a duration, capped at the
 * cores this JVM can see. A new {@link #start} replaces the running burn; {@link #cancel} stops it;
 * it ends by itself after the duration.
 *
 * <pre>{@code
 * CpuBurner cpu = new CpuBurner(Runtime.getRuntime().availableProcessors(), Duration.ofHours(1));
 * cpu.start(500, Duration.ofMinutes(2)); // half a core for two minutes
 * }</pre>
 *
 * <p>Thread-safe: every public method is {@code synchronized} on this object (admin requests and
 * the scrape thread's gauge may race); the burn threads own no shared state but their deadline and
 * are stopped by interrupt; {@link #close} stops the running burn.
 */
public final class CpuBurner implements AutoCloseable {
  /** Each thread burns its share of every period, then sleeps the rest. */
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final int maxMillicores;
  private final Duration maxDuration;
  private final LongSupplier clock;
  private Burn current;

  /**
   * @param cores cores the burn may use at most (the cap is {@code cores × 1000} millicores)
   * @param maxDuration longest burn accepted
   */
  public CpuBurner(int cores, Duration maxDuration) {
    this(cores, maxDuration, System::nanoTime);
  }

  CpuBurner(int cores, Duration maxDuration, LongSupplier clock) {
    this.maxMillicores = cores * 1000;
    this.maxDuration = maxDuration;
    this.clock = clock;
  }

  public int maxMillicores() {
    return maxMillicores;
  }

  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * Starts burning {@code millicores} for {@code duration}, replacing any running burn.
   *
   * @throws IllegalArgumentException naming the field when a value is out of range
   */
  public synchronized BurnStatus start(int millicores, Duration duration) {
    if (millicores < 1 || millicores > maxMillicores) {
      throw new IllegalArgumentException(
          "millicores must be from 1 to "
              + maxMillicores
              + " (the cores available × 1000), got "
              + millicores);
    }
    checkDuration(duration, maxDuration);
    stopCurrent();
    current = new Burn(millicores, clock.getAsLong() + duration.toNanos());
    current.begin();
    return status();
  }

  /** Stops the running burn, if any. */
  public synchronized BurnStatus cancel() {
    stopCurrent();
    return status();
  }

  /** Millicores burning now; 0 when idle or when the burn has run its time. */
  public synchronized int millicores() {
    return isRunning() ? current.millicores : 0;
  }

  /** Threads burning now (for tests and the status body). */
  public synchronized int threads() {
    return isRunning() ? current.liveThreads() : 0;
  }

  public synchronized BurnStatus status() {
    if (!isRunning()) {
      return new BurnStatus(0, 0);
    }
    long remainingNanos = current.deadline - clock.getAsLong();
    return new BurnStatus(
        current.millicores,
        Math.max(0, TimeUnit.NANOSECONDS.toSeconds(remainingNanos + 999_999_999)));
  }

  @Override
  public synchronized void close() {
    stopCurrent();
  }

  private boolean isRunning() {
    return current != null && !current.cancelled && clock.getAsLong() < current.deadline;
  }

  private void stopCurrent() {
    if (current != null) {
      current.stop();
      current = null;
    }
  }

  static void checkDuration(Duration duration, Duration max) {
    long seconds = duration.toSeconds();
    if (seconds < 1 || duration.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "durationSeconds must be from 1 to " + max.toSeconds() + ", got " + seconds);
    }
  }

  /** What is burning now. */
  public record BurnStatus(int millicores, long remainingSeconds) {}

  /** One burn: its threads and when it ends. */
  private final class Burn {
    final int millicores;
    final long deadline;
    final List<Thread> threads = new ArrayList<>();
    volatile boolean cancelled;

    Burn(int millicores, long deadline) {
      this.millicores = millicores;
      this.deadline = deadline;
    }

    void begin() {
      int count = (millicores + 999) / 1000;
      // Spread evenly: 1500 millicores → two threads at 750 each, not 1000 + 500.
      long busyNanos = PERIOD_NANOS * millicores / (count * 1000L);
      for (int i = 0; i < count; i++) {
        Thread t = new Thread(() -> run(busyNanos), "surge-cpu-burn-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void run(long busyNanos) {
      while (!cancelled && clock.getAsLong() < deadline) {
        long periodStart = System.nanoTime();
        ThreadCpu.burn(busyNanos);
        long sleepNanos = PERIOD_NANOS - (System.nanoTime() - periodStart);
        if (sleepNanos > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(sleepNanos);
          } catch (InterruptedException e) {
            // Interrupted by cancel(): the loop condition ends the thread.
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    int liveThreads() {
      int live = 0;
      for (Thread t : threads) {
        if (t.isAlive()) {
          live++;
        }
      }
      return live;
    }

    void stop() {
      cancelled = true;
      threads.forEach(Thread::interrupt);
    }
  }
}
