package dev.surge.hpa;

import java.util.Optional;

/**
 * One pod as the replica calculator sees it at a sync: phase, readiness condition, start time, CPU
 * request and the metrics-server sample (if any). Times are seconds on the simulation clock.
 *
 * @param name pod name
 * @param phase pod phase
 * @param deleting whether the pod has a deletion timestamp
 * @param startTime {@code status.startTime}, or NaN when not started
 * @param ready the Ready condition: empty when the pod has no Ready condition yet
 * @param readyTransitionTime when the Ready condition last changed (its lastTransitionTime)
 * @param requestMillicores sum of the containers' CPU requests
 * @param metric the CPU sample from the metrics API, empty when missing
 */
public record PodState(
    String name,
    Phase phase,
    boolean deleting,
    double startTime,
    Optional<Boolean> ready,
    double readyTransitionTime,
    long requestMillicores,
    Optional<Metric> metric) {

  /** Pod phases the calculator distinguishes. */
  public enum Phase {
    PENDING,
    RUNNING,
    FAILED
  }

  /**
   * A metrics-server sample: average usage over {@code window} seconds ending at {@code timestamp}.
   *
   * @param millicores average CPU usage over the window
   * @param timestamp end of the window
   * @param window window length in seconds
   */
  public record Metric(long millicores, double timestamp, double window) {}

  /** A running pod that became ready long ago and reports {@code usageMillicores}. */
  public static PodState readyWithUsage(String name, long requestMillicores, long usageMillicores) {
    return new PodState(
        name,
        Phase.RUNNING,
        false,
        -3600,
        Optional.of(true),
        -3600 + 30,
        requestMillicores,
        Optional.of(new Metric(usageMillicores, 0, 15)));
  }
}
