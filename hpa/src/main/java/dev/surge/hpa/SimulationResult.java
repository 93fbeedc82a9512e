package dev.surge.hpa;

import java.util.List;

/**
 * What {@link Simulator} predicts: one {@link Step} per controller sync and the summary figures.
 * Times are seconds from the start of the profile; a figure that never happened is {@code null}.
 *
 * @param steps the timeline, one entry per sync
 * @param firstScaleUpSeconds when the controller first added pods
 * @param plateauSeconds when the replica count first reached its peak
 * @param backToMinSeconds when, after the peak, the count first returned to minReplicas
 * @param peakReplicas the highest replica count
 * @param replicaSeconds pods existing × seconds (what the requests are billed on)
 * @param cost replica-seconds priced at the requests' vCPU-hour and GiB-hour prices
 * @param unservedSeconds seconds with load but no ready pod, or with pods throttled at their CPU
 *     limit
 */
public record SimulationResult(
    List<Step> steps,
    Double firstScaleUpSeconds,
    Double plateauSeconds,
    Double backToMinSeconds,
    int peakReplicas,
    double replicaSeconds,
    double cost,
    double unservedSeconds) {

  /**
   * One controller sync.
   *
   * @param t time of the sync
   * @param rate requests per second offered at that time
   * @param replicas pods after the sync's decision
   * @param readyReplicas pods serving at that time
   * @param proposed what the metric alone proposed (-1 without metrics)
   * @param utilizationPercent what the controller measured (-1 without metrics)
   * @param reason the controller's reason for the count
   * @param metric the metric whose proposal the controller took (empty when none; {@code keda} when
   *     KEDA itself scaled from or to zero)
   * @param proposals every metric's proposal at this sync
   */
  public record Step(
      double t,
      double rate,
      int replicas,
      int readyReplicas,
      int proposed,
      int utilizationPercent,
      String reason,
      String metric,
      List<HpaController.MetricProposal> proposals) {
    public Step {
      proposals = List.copyOf(proposals);
    }

    /** A step without per-metric detail. */
    public Step(
        double t,
        double rate,
        int replicas,
        int readyReplicas,
        int proposed,
        int utilizationPercent,
        String reason) {
      this(t, rate, replicas, readyReplicas, proposed, utilizationPercent, reason, "", List.of());
    }
  }

  public SimulationResult {
    steps = List.copyOf(steps);
  }
}
