package dev.surge.loadgen.schedule;

import dev.surge.common.profile.RateProfile;

/**
 * The intended send times of an open-model run: request {@code n} is due when the integrated rate
 * of the profile reaches {@code n}, i.e. at {@code profile.timeOfRequests(n)}. A pure function of
 * {@code n} — no clock, no state — so the dispatcher can never drift: a late request does not push
 * back the ones after it.
 *
 * <p>A shard {@code i} of {@code N} takes every N-th request of the whole schedule, starting at
 * {@code i}: the shards together send exactly the whole schedule, each at rate/N, interleaved in
 * time.
 *
 * <pre>{@code
 * Schedule s = Schedule.of(RateProfile.constant(200, 60)); // 12000 requests, one every 5 ms
 * long due = s.sendTimeNanos(3);                           // 15_000_000
 * Schedule shard = Schedule.shard(profile, 1, 4);          // requests 1, 5, 9, ... of the whole schedule
 * }</pre>
 */
public final class Schedule {
  private final RateProfile profile;
  private final int shardIndex;
  private final int shardCount;
  private final long wholeSize;
  private final long size;

  private Schedule(RateProfile profile, int shardIndex, int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be >= 1, got " + shardCount);
    }
    if (shardIndex < 0 || shardIndex >= shardCount) {
      throw new IllegalArgumentException(
          "shard index must be in 0.."
              + (shardCount - 1)
              + " for "
              + shardCount
              + " shards, got "
              + shardIndex);
    }
    this.profile = profile;
    this.shardIndex = shardIndex;
    this.shardCount = shardCount;
    double total = profile.totalRequests();
    // Request n is sent when the integral reaches n, for every n whose time falls before the end.
    this.wholeSize = total <= 0 ? 0 : (long) Math.ceil(total - 1e-9);
    this.size =
        wholeSize <= shardIndex ? 0 : (wholeSize - shardIndex + shardCount - 1) / shardCount;
  }

  /** The whole schedule of a profile. */
  public static Schedule of(RateProfile profile) {
    return new Schedule(profile, 0, 1);
  }

  /**
   * Shard {@code index} (0-based) of {@code count}: every count-th request of the whole schedule.
   */
  public static Schedule shard(RateProfile profile, int index, int count) {
    return new Schedule(profile, index, count);
  }

  /** Number of requests in this (shard's) schedule. */
  public long size() {
    return size;
  }

  /**
   * Intended send time of this schedule's {@code n}-th request (0-based) in seconds from the start.
   */
  public double sendTimeSeconds(long n) {
    if (n < 0 || n >= size) {
      throw new IndexOutOfBoundsException("request " + n + " is outside the schedule of " + size);
    }
    return profile.timeOfRequests((double) (n * shardCount + shardIndex));
  }

  /** {@link #sendTimeSeconds} in nanoseconds, the unit the dispatcher waits in. */
  public long sendTimeNanos(long n) {
    return Math.round(sendTimeSeconds(n) * 1e9);
  }

  /** Number of this schedule's requests intended strictly before {@code t} seconds. */
  public long countBefore(double tSeconds) {
    if (!(tSeconds > 0) || size == 0) {
      return 0;
    }
    // Whole-schedule requests before t: ceil(F(t)), then this shard's share of indices below that.
    double f = profile.expectedRequests(tSeconds);
    long whole = Math.min(wholeSize, (long) Math.ceil(f - 1e-9));
    if (whole <= shardIndex) {
      return 0;
    }
    return (whole - shardIndex + shardCount - 1) / shardCount;
  }

  /** The profile this schedule follows (the whole profile, not the shard's share). */
  public RateProfile profile() {
    return profile;
  }

  /** Rate this schedule sends at {@code t}: the profile's rate divided by the shard count. */
  public double rateAt(double tSeconds) {
    return profile.rateAt(tSeconds) / shardCount;
  }

  /** 0-based index of this shard. */
  public int shardIndex() {
    return shardIndex;
  }

  /** Number of shards. */
  public int shardCount() {
    return shardCount;
  }
}
