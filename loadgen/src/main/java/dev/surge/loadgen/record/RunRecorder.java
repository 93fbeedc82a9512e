package dev.surge.loadgen.record;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one place where every request outcome is recorded, from any client thread without locks: two
 * HdrHistogram {@link Recorder}s (1 µs to 1 h, 3 significant digits) — corrected latency from the
 * intended send time, which includes time queued in the client and waiting for a connection, and
 * uncorrected latency from the moment the request went onto a connection — plus counters by
 * outcome, error kind, status code and backend. {@link #snapshot} hands out the interval since the
 * previous snapshot, so memory stays flat however long the run.
 *
 * <pre>{@code
 * RunRecorder rec = new RunRecorder();
 * rec.sent(intended, now);   // before handing to the client
 * rec.response(200, "pod-a", intended, begin, end);
 * Interval i = rec.snapshot(startNanos, previousNanos, nowNanos);
 * Interval next = rec.snapshot(startNanos, nowNanos, laterNanos, i); // i's histograms are reused
 * }</pre>
 *
 * <p>Concurrency contract (as HdrHistogram's {@link Recorder}): the recording methods ({@link
 * #sent}, {@link #dropped}, {@link #response}, {@link #failure}) may be called from any number of
 * threads at once and are wait-free for the histograms and lock-free for the counters (adders, a
 * bounded map of backends); they never block on a snapshot. {@link #snapshot} is {@code
 * synchronized}: one caller at a time gets a stable, consistent view of the interval since the
 * previous snapshot — every value recorded before the snapshot swapped its histograms is in it or
 * in the previous interval, none is in two. Histograms and counters are not swapped in one atomic
 * step, so a response that lands during a snapshot may be counted in one interval and have its
 * latency in the adjacent one; totals over the run are exact. {@link #inFlight} and {@link #close}
 * may be called from any thread.
 */
public final class RunRecorder {
  /** Highest trackable latency: one hour in microseconds. */
  public static final long HIGHEST_MICROS = 3_600_000_000L;

  /** Significant digits of every latency histogram. */
  public static final int DIGITS = 3;

  /** A send more than this after its intended time counts as late. */
  public static final long LATE_NANOS = 1_000_000L;

  /**
   * Distinct backend names kept; later ones are counted under {@link #OTHER_BACKEND} so the map
   * stays bounded.
   */
  public static final int MAX_BACKENDS = 256;

  public static final String OTHER_BACKEND = "other";
  private static final int MIN_STATUS = 100;
  private static final int MAX_STATUS = 599;
  public static final String NO_BACKEND = "unknown";

  private final Recorder corrected = new Recorder(1, HIGHEST_MICROS, DIGITS);
  private final Recorder uncorrected = new Recorder(1, HIGHEST_MICROS, DIGITS);
  private final LongAdder requests = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> statusCodes = new ConcurrentHashMap<>();
  // Status codes 100..599 are counted in an array (no string, no map lookup per response); others
  // go to the map.
  private final LongAdder[] byStatus = new LongAdder[MAX_STATUS - MIN_STATUS + 1];
  private final Map<String, LongAdder> backends = new ConcurrentHashMap<>();

  // Cumulative values at the previous snapshot, to hand out increments. Only touched under the
  // snapshot lock.
  private final long[] previous = new long[5];
  private final Map<String, Long> prevKinds = new HashMap<>();
  private final Map<String, Long> prevCodes = new HashMap<>();
  private final Map<String, Long> prevBackends = new HashMap<>();

  private volatile boolean closed;

  public RunRecorder() {
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new LongAdder();
    }
  }

  /**
   * Stops recording: outcomes that arrive later (requests aborted as the client shuts down) are not
   * counted, since the summary already reported them as unfinished.
   */
  public void close() {
    closed = true;
  }

  /** A request whose time came and that goes to the client now; counts it in flight. */
  public void sent(long intendedNanos, long nowNanos) {
    requests.increment();
    inFlight.incrementAndGet();
    if (nowNanos - intendedNanos > LATE_NANOS) {
      late.increment();
    }
  }

  /**
   * A request whose time came but was not sent (in-flight cap reached, or too late to catch up).
   */
  public void dropped() {
    requests.increment();
    dropped.increment();
  }

  /** Requests currently in flight. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * A response arrived. Status below 400 is ok, 4xx/5xx are errors; the latency of every response
   * is recorded.
   *
   * @param beginNanos when the request went onto a connection (0 if unknown: then the intended time
   *     is used)
   */
  public void response(
      int status, String backend, long intendedNanos, long beginNanos, long endNanos) {
    inFlight.decrementAndGet();
    if (closed) {
      return;
    }
    recordLatency(intendedNanos, beginNanos, endNanos);
    if (status >= MIN_STATUS && status <= MAX_STATUS) {
      byStatus[status - MIN_STATUS].increment();
    } else {
      count(statusCodes, Integer.toString(status));
    }
    countBackend(backend);
    ErrorKind kind = ErrorKind.ofStatus(status);
    if (kind == null) {
      ok.increment();
    } else {
      errors.increment();
      count(errorKinds, kind.key());
    }
  }

  /**
   * A request failed without a response. Timeouts record their latency (the request took at least
   * that long); other failures do not, since a refused connect says nothing about how fast the
   * server answers.
   */
  public void failure(ErrorKind kind, long intendedNanos, long beginNanos, long endNanos) {
    inFlight.decrementAndGet();
    if (closed) {
      return;
    }
    errors.increment();
    count(errorKinds, kind.key());
    if (kind == ErrorKind.TIMEOUT) {
      recordLatency(intendedNanos, beginNanos, endNanos);
    }
  }

  private void recordLatency(long intendedNanos, long beginNanos, long endNanos) {
    long fromIntended = (endNanos - intendedNanos) / 1000;
    long fromBegin = (endNanos - (beginNanos == 0 ? intendedNanos : beginNanos)) / 1000;
    corrected.recordValue(clamp(fromIntended));
    uncorrected.recordValue(clamp(fromBegin));
  }

  private static long clamp(long micros) {
    return Math.max(1, Math.min(HIGHEST_MICROS, micros));
  }

  private static void count(Map<String, LongAdder> map, String key) {
    map.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private void countBackend(String backend) {
    String key = backend == null || backend.isEmpty() ? NO_BACKEND : backend;
    LongAdder a = backends.get(key);
    if (a == null) {
      // Bounded: a misbehaving target that sends a new name per response cannot grow the map
      // without limit.
      key = backends.size() >= MAX_BACKENDS ? OTHER_BACKEND : key;
      a = backends.computeIfAbsent(key, k -> new LongAdder());
    }
    a.increment();
  }

  /**
   * The interval since the previous snapshot: new histograms (owned by the caller) and counter
   * increments. Times are seconds since {@code runStartNanos}.
   */
  public synchronized Interval snapshot(long runStartNanos, long previousNanos, long nowNanos) {
    return snapshot(
        runStartNanos,
        previousNanos,
        nowNanos,
        corrected.getIntervalHistogram(),
        uncorrected.getIntervalHistogram());
  }

  /**
   * {@link #snapshot(long, long, long)}, reusing the histograms of {@code recycle} — an interval
   * this recorder returned before, whose histograms the caller no longer uses — instead of
   * allocating new ones (HdrHistogram's {@link Recorder#getIntervalHistogram(Histogram)}).
   *
   * @throws IllegalArgumentException when {@code recycle} did not come from this recorder
   */
  public synchronized Interval snapshot(
      long runStartNanos, long previousNanos, long nowNanos, Interval recycle) {
    return snapshot(
        runStartNanos,
        previousNanos,
        nowNanos,
        corrected.getIntervalHistogram(recycle.corrected()),
        uncorrected.getIntervalHistogram(recycle.uncorrected()));
  }

  private Interval snapshot(
      long runStartNanos, long previousNanos, long nowNanos, Histogram c, Histogram u) {
    long[] now = {requests.sum(), ok.sum(), errors.sum(), dropped.sum(), late.sum()};
    long[] d = new long[now.length];
    for (int i = 0; i < now.length; i++) {
      d[i] = now[i] - previous[i];
      previous[i] = now[i];
    }
    return new Interval(
        (previousNanos - runStartNanos) / 1e9,
        (nowNanos - runStartNanos) / 1e9,
        c,
        u,
        d[0],
        d[1],
        d[2],
        d[3],
        d[4],
        inFlight.get(),
        delta(errorKinds, prevKinds),
        statusDelta(),
        delta(backends, prevBackends));
  }

  private Map<String, Long> statusDelta() {
    Map<String, Long> out = delta(statusCodes, prevCodes);
    for (int i = 0; i < byStatus.length; i++) {
      long sum = byStatus[i].sum();
      if (sum == 0) {
        continue;
      }
      String key = Integer.toString(i + MIN_STATUS);
      long diff = sum - prevCodes.getOrDefault(key, 0L);
      if (diff != 0) {
        out.put(key, diff);
      }
      prevCodes.put(key, sum);
    }
    return out;
  }

  private static Map<String, Long> delta(Map<String, LongAdder> current, Map<String, Long> prev) {
    Map<String, Long> out = new HashMap<>();
    current.forEach(
        (k, v) -> {
          long sum = v.sum();
          long diff = sum - prev.getOrDefault(k, 0L);
          if (diff != 0) {
            out.put(k, diff);
          }
          prev.put(k, sum);
        });
    return out;
  }
}
