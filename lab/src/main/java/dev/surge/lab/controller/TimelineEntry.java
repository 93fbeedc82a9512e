package dev.surge.lab.controller;

import java.util.List;
import java.util.Map;

/**
 * One controller sync as the result's {@code scaling.timeline[]} records it (the keys of {@code run
 * --prometheus}'s live view plus the controller's own figures and why it decided as it did).
 *
 * @param t seconds since the load started
 * @param currentReplicas the Deployment's replica count after the sync
 * @param desiredReplicas what the controller asked for
 * @param readyReplicas ready pods that are not being deleted
 * @param podRates requests/s each pod served since the previous sync
 * @param utilizationPercent the average CPU utilization the controller saw, -1 without metrics
 * @param reason the controller's reason
 * @param driver the label of the metric whose proposal was taken, empty when none was
 * @param metrics every metric's reading and proposal, in the HPA's order
 */
public record TimelineEntry(
    double t,
    int currentReplicas,
    int desiredReplicas,
    int readyReplicas,
    Map<String, Double> podRates,
    int utilizationPercent,
    String reason,
    String driver,
    List<MetricReading> metrics) {
  public TimelineEntry {
    podRates = Map.copyOf(podRates);
    metrics = List.copyOf(metrics);
  }

  /**
   * One metric at one sync ({@code timeline[].metrics[]}).
   *
   * @param metric its label ({@code cpu}, {@code memory}, {@code pods/...})
   * @param current its current value in {@code unit}, -1 when it could not be read
   * @param target its target in {@code unit}
   * @param unit {@code %} for utilization, {@code m} for CPU millicores, {@code bytes} for memory,
   *     empty for other values
   * @param proposal the replicas it proposed, -1 when none
   */
  public record MetricReading(
      String metric, double current, double target, String unit, int proposal) {}
}
