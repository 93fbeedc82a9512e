package dev.surge.loadgen.distributed;

import dev.surge.common.Durations;
import dev.surge.common.cli.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shard 0's state of a distributed run: who has joined, the one start instant (decided when the
 * last shard joins), the results that came in, and the merged result once published.
 *
 * <p>Thread-safe: the HTTP threads call {@link #join} and {@link #report}; the run's thread calls
 * the {@code await} methods, which block with a deadline (and give up when the stop flag rises),
 * and {@link #publish}. Every method synchronizes on this object.
 */
final class Rendezvous {
  /** A shard that joins this long after the start is refused: its catch-up would be a burst. */
  static final Duration LATE_JOIN = Duration.ofSeconds(10);

  private final int count;
  private final String profile;
  private final Duration startDelay;
  private final Set<Integer> joined = new TreeSet<>();
  private final Map<Integer, ShardReport> reports = new TreeMap<>();
  private Instant start;
  private boolean closed;
  private String merged;

  /**
   * @param count number of shards
   * @param profile the canonical profile every shard must run
   * @param startDelay once everyone joined, the start is this far ahead
   */
  Rendezvous(int count, String profile, Duration startDelay) {
    this.count = count;
    this.profile = profile;
    this.startDelay = startDelay;
  }

  int count() {
    return count;
  }

  /**
   * Shard {@code index} is warmed up and ready; returns the start when it is decided.
   *
   * @throws IllegalArgumentException when the shard does not belong to this run (another count or
   *     profile, an index out of range, a join long after the start)
   */
  synchronized Instant join(int index, int shardCount, String shardProfile) {
    if (shardCount != count) {
      throw new IllegalArgumentException(
          "shard " + index + " was started with " + shardCount + " shards, shard 0 with " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard index " + index + " is not in 0.." + (count - 1));
    }
    if (!profile.equals(shardProfile)) {
      throw new IllegalArgumentException(
          "shard "
              + index
              + " runs profile '"
              + shardProfile
              + "', shard 0 runs '"
              + profile
              + "': every shard needs the same load shape");
    }
    if (start != null && !joined.contains(index) && Instant.now().isAfter(start.plus(LATE_JOIN))) {
      throw new IllegalArgumentException(
          "shard " + index + " joined after the run started at " + start);
    }
    joined.add(index);
    if (start == null && joined.size() == count) {
      start = Instant.now().plus(startDelay);
      notifyAll();
    }
    return start;
  }

  /**
   * Shard 0 joins and waits until every shard has, then returns the start instant.
   *
   * @throws RendezvousException naming the missing indexes after {@code timeout}, or when stopped
   */
  synchronized Instant awaitStart(Duration timeout, AtomicBoolean stop) {
    join(0, count, profile);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (start == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || stop.get()) {
        closed = true;
        throw new RendezvousException(
            ExitCode.FAILED,
            "shard 0/"
                + count
                + ": shards "
                + missing(joined)
                + " did not join within "
                + Durations.format(timeout.toMillis() / 1000.0)
                + (stop.get() ? " (stopped by signal)" : "")
                + "; joined: "
                + joined);
      }
      waitNanos(Math.min(left, 100_000_000L));
    }
    return start;
  }

  /**
   * A shard's result arrived.
   *
   * @throws IllegalArgumentException when it does not fit this run or comes after the merge
   */
  synchronized void report(ShardReport r) {
    r.validate(count);
    if (closed) {
      throw new IllegalArgumentException(
          "shard " + r.index() + "'s result came after shard 0 merged without it");
    }
    reports.put(r.index(), r);
    notifyAll();
  }

  /**
   * Waits until every shard's result is in, the deadline passes or {@code stop} rises; afterwards
   * no result is accepted. Returns the results by index.
   */
  synchronized Map<Integer, ShardReport> awaitReports(Instant deadline, AtomicBoolean stop) {
    while (reports.size() < count && !stop.get()) {
      long left = Duration.between(Instant.now(), deadline).toNanos();
      if (left <= 0) {
        break;
      }
      waitNanos(Math.min(left, 100_000_000L));
    }
    closed = true;
    return new TreeMap<>(reports);
  }

  /** Makes the merged result JSON available at {@code GET /shards/result}. */
  synchronized void publish(String mergedJson) {
    this.merged = mergedJson;
  }

  /** The merged result JSON, or null before it is published. */
  synchronized String merged() {
    return merged;
  }

  /** What {@code GET /shards} shows. */
  synchronized Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shards", count);
    m.put("joined", List.copyOf(joined));
    m.put("start", start == null ? null : start.toString());
    m.put("results", List.copyOf(reports.keySet()));
    m.put("merged", merged != null);
    return m;
  }

  private List<Integer> missing(Set<Integer> present) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!present.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  // Every caller waits in a loop that re-checks its condition and deadline.
  @SuppressWarnings("WaitNotInLoop")
  private void waitNanos(long nanos) {
    try {
      wait(Math.max(1, nanos / 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RendezvousException(ExitCode.FAILED, "interrupted while waiting for the shards", e);
    }
  }
}
