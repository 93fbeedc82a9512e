package dev.surge.loadgen.record;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What happened in one interval of a run (normally one second): the latency histograms of the
 * responses completed in it and the counter increments. Produced by {@link RunRecorder#snapshot};
 * the histograms are owned by the receiver until it hands the interval back to be recycled (see
 * {@link RunRecorder#snapshot(long, long, long, Interval)}).
 *
 * @param startSeconds interval start, seconds since the run started
 * @param endSeconds interval end, seconds since the run started
 * @param corrected latency in microseconds from the intended send time
 * @param uncorrected latency in microseconds from the actual send on the connection
 * @param requests requests whose send time came (sent + dropped)
 * @param ok responses with status below 400
 * @param errors failed requests (transport failures and HTTP 4xx/5xx)
 * @param dropped requests not sent because --max-in-flight was reached (or, with --catch-up skip,
 *     too late)
 * @param late requests sent more than {@link RunRecorder#LATE_NANOS} after their intended time
 * @param inFlight requests in flight at the end of the interval
 * @param errorsByKind error increments by {@link ErrorKind#key()}
 * @param statusCodes response increments by status code
 * @param backends response increments by backend instance ({@code X-Surge-Instance})
 */
public record Interval(
    double startSeconds,
    double endSeconds,
    Histogram corrected,
    Histogram uncorrected,
    long requests,
    long ok,
    long errors,
    long dropped,
    long late,
    long inFlight,
    Map<String, Long> errorsByKind,
    Map<String, Long> statusCodes,
    Map<String, Long> backends) {

  /** Responses (or failures) completed in the interval. */
  public long completed() {
    return ok + errors;
  }

  /** Interval length in seconds. */
  public double lengthSeconds() {
    return endSeconds - startSeconds;
  }
}
