package dev.surge.lab.controller;

import java.util.Map;

/**
 * One controller sync as the result's {@code scaling.timeline[]} records it (the keys of {@code run
 * --prometheus}'s live view plus the controller's own figures).
 *
 * @param t seconds since the load started
 * @param currentReplicas the Deployment's replica count after the sync
 * @param desiredReplicas what the controller asked for
 * @param readyReplicas ready pods that are not being deleted
 * @param podRates requests/s each pod served since the previous sync
 * @param utilizationPercent the average CPU utilization the controller saw, -1 without metrics
 * @param reason the controller's reason
 */
public record TimelineEntry(
    double t,
    int currentReplicas,
    int desiredReplicas,
    int readyReplicas,
    Map<String, Double> podRates,
    int utilizationPercent,
    String reason) {
  public TimelineEntry {
    podRates = Map.copyOf(podRates);
  }
}
