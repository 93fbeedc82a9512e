package dev.surge.app.burn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Background memory burn: holds {@code mebibytes} of heap, touched so it is resident, for a
 * duration, capped at a share of the maximum heap so the burn cannot take the app down. A new
 * {@link #start} replaces the running burn; {@link #cancel} releases it; it is released by itself
 * after the duration.
 *
 * <pre>{@code
 * MemoryBurner memory = new MemoryBurner(Runtime.getRuntime().maxMemory() / 2, Duration.ofHours(1));
 * memory.start(64, Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Thread-safe: every public method is {@code synchronized} on this object (admin requests, the
 * release timer and the scrape thread's gauge may race); the held arrays are replaced, never
 * mutated, under that lock.
 */
public final class MemoryBurner implements AutoCloseable {
  static final int MIB = 1024 * 1024;
  private static final int PAGE = 4096;

  private final long maxBytes;
  private final Duration maxDuration;
  private final ScheduledExecutorService timer;
  private List<byte[]> held = List.of();
  private long deadlineNanos;
  private ScheduledFuture<?> release;

  /**
   * @param maxBytes most heap a burn may hold
   * @param maxDuration longest burn accepted
   */
  public MemoryBurner(long maxBytes, Duration maxDuration) {
    this.maxBytes = maxBytes;
    this.maxDuration = maxDuration;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "surge-memory-burn-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Largest burn accepted, in whole MiB. */
  public long maxMebibytes() {
    return maxBytes / MIB;
  }

  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * Holds {@code mebibytes} of heap for {@code duration}, replacing any running burn.
   *
   * @throws IllegalArgumentException naming the field when a value is out of range
   */
  public synchronized BurnStatus start(int mebibytes, Duration duration) {
    if (mebibytes < 1 || mebibytes > maxMebibytes()) {
      throw new IllegalArgumentException(
          "mebibytes must be from 1 to "
              + maxMebibytes()
              + " (half the max heap), got "
              + mebibytes);
    }
    CpuBurner.checkDuration(duration, maxDuration);
    releaseNow();
    List<byte[]> chunks = new ArrayList<>(mebibytes);
    for (int i = 0; i < mebibytes; i++) {
      byte[] chunk = new byte[MIB];
      // Touch every page so the memory is resident (RSS), not only reserved.
      for (int p = 0; p < MIB; p += PAGE) {
        chunk[p] = 1;
      }
      chunks.add(chunk);
    }
    held = chunks;
    deadlineNanos = System.nanoTime() + duration.toNanos();
    release = timer.schedule(this::cancel, duration.toNanos(), TimeUnit.NANOSECONDS);
    return status();
  }

  /** Releases the held memory, if any. */
  public synchronized BurnStatus cancel() {
    releaseNow();
    return status();
  }

  /** Bytes held now. */
  public synchronized long bytesHeld() {
    return (long) held.size() * MIB;
  }

  public synchronized BurnStatus status() {
    if (held.isEmpty()) {
      return new BurnStatus(0, 0);
    }
    long remaining =
        TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - System.nanoTime() + 999_999_999);
    return new BurnStatus(held.size(), Math.max(0, remaining));
  }

  @Override
  public synchronized void close() {
    releaseNow();
    timer.shutdownNow();
  }

  private void releaseNow() {
    if (release != null) {
      release.cancel(false);
      release = null;
    }
    held = List.of();
  }

  /** What is held now. */
  public record BurnStatus(long mebibytes, long remainingSeconds) {}
}
