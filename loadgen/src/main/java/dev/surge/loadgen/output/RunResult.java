package dev.surge.loadgen.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The result file of a run ({@code --out}), the schema documented in loadgen/README.md. Other tools
 * (the {@code report} and {@code merge} commands) read it by these key names: keep them stable.
 *
 * @param tool always {@code surge-loadgen}
 * @param version loadgen version
 * @param startedAt ISO-8601 UTC instant when sending began
 * @param config what was run (the resolved configuration, flag names as keys)
 * @param summary totals over the whole run
 * @param intervals one entry per second
 * @param checks thresholds and abort outcome
 * @param scaling the scaling view ({@code run --prometheus}, the lab), absent when none was
 *     recorded; its keys are documented in docs/HPA.md
 * @param events what happened during the run (pods, HPA decisions, thresholds, alerts), in the
 *     order they arrived; absent when nothing recorded them (a merged result)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
    String tool,
    String version,
    String startedAt,
    Map<String, Object> config,
    Summary summary,
    List<IntervalResult> intervals,
    Checks checks,
    JsonNode scaling,
    List<EventEntry> events) {

  /** A result without recorded events. */
  public RunResult(
      String tool,
      String version,
      String startedAt,
      Map<String, Object> config,
      Summary summary,
      List<IntervalResult> intervals,
      Checks checks,
      JsonNode scaling) {
    this(tool, version, startedAt, config, summary, intervals, checks, scaling, null);
  }

  /** A result without a scaling view. */
  public RunResult(
      String tool,
      String version,
      String startedAt,
      Map<String, Object> config,
      Summary summary,
      List<IntervalResult> intervals,
      Checks checks) {
    this(tool, version, startedAt, config, summary, intervals, checks, null, null);
  }

  /** This result with {@code scaling} set (null removes it). */
  public RunResult withScaling(JsonNode scaling) {
    return new RunResult(
        tool, version, startedAt, config, summary, intervals, checks, scaling, events);
  }

  /** This result with {@code events} set (null removes them). */
  public RunResult withEvents(List<EventEntry> events) {
    return new RunResult(
        tool,
        version,
        startedAt,
        config,
        summary,
        intervals,
        checks,
        scaling,
        events == null ? null : List.copyOf(events));
  }

  /**
   * One recorded {@code RunEvent}: {@code t} is seconds since sending started (negative for what
   * happened before, such as the first pods' start-up), {@code kind} the event kind's label ({@code
   * pod}, {@code hpa}, {@code threshold}, {@code alert}, {@code fault}, {@code lab}, {@code run}).
   */
  public record EventEntry(double t, String kind, String subject, String message) {}

  /** Totals over the whole run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Summary(
      long requests,
      long ok,
      long errors,
      long dropped,
      long late,
      long unfinished,
      double durationSeconds,
      double targetRate,
      double achievedRate,
      Latency latencyMillis,
      Map<String, Long> errorsByKind,
      Map<String, Long> statusCodes,
      Map<String, Long> backends,
      Histograms histograms,
      List<Integer> missingShards) {

    /** A summary of one process's run (no {@code missingShards}: nothing was merged). */
    public Summary(
        long requests,
        long ok,
        long errors,
        long dropped,
        long late,
        long unfinished,
        double durationSeconds,
        double targetRate,
        double achievedRate,
        Latency latencyMillis,
        Map<String, Long> errorsByKind,
        Map<String, Long> statusCodes,
        Map<String, Long> backends,
        Histograms histograms) {
      this(
          requests,
          ok,
          errors,
          dropped,
          late,
          unfinished,
          durationSeconds,
          targetRate,
          achievedRate,
          latencyMillis,
          errorsByKind,
          statusCodes,
          backends,
          histograms,
          null);
    }

    /**
     * This summary of a distributed run, naming the shards (0-based indexes) whose results never
     * arrived; an empty list says every shard is in.
     */
    public Summary withMissingShards(List<Integer> missing) {
      return new Summary(
          requests,
          ok,
          errors,
          dropped,
          late,
          unfinished,
          durationSeconds,
          targetRate,
          achievedRate,
          latencyMillis,
          errorsByKind,
          statusCodes,
          backends,
          histograms,
          List.copyOf(missing));
    }
  }

  /** Corrected (from the intended send time) and uncorrected (from the actual send) latency. */
  public record Latency(Percentiles corrected, Percentiles uncorrected) {}

  /**
   * The whole-run histograms, base64 of HdrHistogram's compressed encoding (microseconds); what
   * merge adds up.
   */
  public record Histograms(String corrected, String uncorrected) {}

  /**
   * One interval (normally one second); {@code t} is seconds since the start at the end of the
   * interval; {@code errorsByKind} is left out of the file when no request failed in it.
   */
  public record IntervalResult(
      double t,
      double targetRate,
      double achievedRate,
      long requests,
      long ok,
      long errors,
      long dropped,
      long inFlight,
      Latency latencyMillis,
      Map<String, Long> backends,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> errorsByKind) {

    /** An interval without its errors by kind (a merged result's). */
    public IntervalResult(
        double t,
        double targetRate,
        double achievedRate,
        long requests,
        long ok,
        long errors,
        long dropped,
        long inFlight,
        Latency latencyMillis,
        Map<String, Long> backends) {
      this(
          t,
          targetRate,
          achievedRate,
          requests,
          ok,
          errors,
          dropped,
          inFlight,
          latencyMillis,
          backends,
          null);
    }
  }

  /**
   * Outcome of {@code --threshold} and {@code --abort-on}; {@code verdict} is the one-line verdict
   * of a distributed run's merged result ({@code passed}, {@code failed: ...} or {@code partial:
   * ...}), null otherwise.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Checks(
      boolean passed,
      boolean aborted,
      String abortReason,
      List<ThresholdOutcome> thresholds,
      String verdict) {

    /** Checks without a verdict line (a single process's run). */
    public Checks(
        boolean passed, boolean aborted, String abortReason, List<ThresholdOutcome> thresholds) {
      this(passed, aborted, abortReason, thresholds, null);
    }
  }

  /** One threshold, its measured value and whether it held. */
  public record ThresholdOutcome(String threshold, double actual, boolean passed) {}
}
