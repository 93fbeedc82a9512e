package dev.surge.hpa;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HPA controller's replica calculation for a CPU utilization target, after the documented
 * algorithm and the behaviour of upstream's {@code replica_calculator.go} ({@code
 * GetResourceReplicas}):
 *
 * <ul>
 *   <li>pods being deleted or failed are ignored; pending pods are unready;
 *   <li>pods without a sample are <em>missing</em>;
 *   <li>within the CPU initialization period (5 min from start) a sample is unready when the pod is
 *       not ready or the sample's window started before the pod became ready; after it, only a pod
 *       that is not ready and never was (its readiness last changed within the initial readiness
 *       delay, 30 s) is unready;
 *   <li>utilization = sum(usage) / sum(requests) of the ready samples, truncated to an integer
 *       percent;
 *   <li>within the tolerance (0.1) nothing changes; otherwise {@code ceil(ratio × ready pods)};
 *   <li>with missing pods or unready ones on a scale-up, the ratio is recomputed with missing pods
 *       at 0 % (scale-up) or {@code max(100 %, target)} (scale-down) and unready pods at 0 %; a
 *       change of direction or a result inside the tolerance keeps the current count.
 * </ul>
 *
 * <p>{@code new ReplicaCalculator(0.1, 300, 30).cpuReplicas(3, 50, pods, now)}
 */
public final class ReplicaCalculator {
  private final double tolerance;
  private final double cpuInitializationPeriod;
  private final double initialReadinessDelay;

  /**
   * The controller-manager defaults: tolerance 0.1, CPU initialization period 5 min, initial
   * readiness delay 30 s.
   */
  public static ReplicaCalculator defaults() {
    return new ReplicaCalculator(0.1, 300, 30);
  }

  public ReplicaCalculator(
      double tolerance,
      double cpuInitializationPeriodSeconds,
      double initialReadinessDelaySeconds) {
    if (tolerance < 0 || tolerance >= 1) {
      throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
    }
    this.tolerance = tolerance;
    this.cpuInitializationPeriod = cpuInitializationPeriodSeconds;
    this.initialReadinessDelay = initialReadinessDelaySeconds;
  }

  public double tolerance() {
    return tolerance;
  }

  /**
   * The outcome of one calculation.
   *
   * @param replicas the proposed replica count
   * @param utilizationPercent the utilization of the ready samples (integer percent, truncated)
   * @param readyPods pods whose sample counted
   * @param unreadyPods pods whose sample was ignored as unready
   * @param missingPods pods without a sample
   * @param ignoredPods pods being deleted or failed
   */
  public record Result(
      int replicas,
      int utilizationPercent,
      int readyPods,
      int unreadyPods,
      int missingPods,
      int ignoredPods) {}

  /** Thrown when no pod has a usable sample: the controller then leaves the replica count alone. */
  public static final class NoMetricsException extends Exception {
    private static final long serialVersionUID = 1L;

    NoMetricsException(String message) {
      super(message);
    }
  }

  /**
   * Proposes a replica count.
   *
   * @param currentReplicas the scale target's current replica count
   * @param targetUtilization the CPU {@code averageUtilization} target in percent
   * @param pods the pods matching the selector
   * @param now the sync time in seconds
   */
  public Result cpuReplicas(
      int currentReplicas, int targetUtilization, List<PodState> pods, double now)
      throws NoMetricsException {
    if (pods.isEmpty()) {
      throw new NoMetricsException("no pods returned by selector while calculating replica count");
    }
    Map<String, Long> usage = new HashMap<>();
    Map<String, Long> requests = new HashMap<>();
    Set<String> unready = new HashSet<>();
    Set<String> missing = new HashSet<>();
    int ignored = 0;
    int ready = 0;
    for (PodState pod : pods) {
      requests.put(pod.name(), pod.requestMillicores());
      if (pod.deleting() || pod.phase() == PodState.Phase.FAILED) {
        ignored++;
        continue;
      }
      if (pod.phase() == PodState.Phase.PENDING) {
        unready.add(pod.name());
        continue;
      }
      if (pod.metric().isEmpty()) {
        missing.add(pod.name());
        continue;
      }
      PodState.Metric metric = pod.metric().get();
      if (isUnready(pod, metric, now)) {
        unready.add(pod.name());
        continue;
      }
      usage.put(pod.name(), metric.millicores());
      ready++;
    }
    if (usage.isEmpty()) {
      throw new NoMetricsException(
          "did not receive metrics for targeted pods (pods might be unready)");
    }
    for (String name : usage.keySet()) {
      if (requests.get(name) <= 0) {
        throw new IllegalArgumentException("missing request for cpu in pod " + name);
      }
    }
    int utilization = utilization(usage, requests);
    double usageRatio = (double) utilization / targetUtilization;
    boolean scaleUpWithUnready = !unready.isEmpty() && usageRatio > 1.0;
    int counted = unready.size();
    if (!scaleUpWithUnready && missing.isEmpty()) {
      if (Math.abs(1.0 - usageRatio) <= tolerance) {
        return new Result(currentReplicas, utilization, ready, counted, 0, ignored);
      }
      return new Result(
          (int) Math.ceil(usageRatio * ready), utilization, ready, counted, 0, ignored);
    }
    // Fill in the pods without a usable sample conservatively, so that they dampen the change.
    if (!missing.isEmpty()) {
      if (usageRatio < 1.0) {
        long fallbackPercent = Math.max(100, targetUtilization);
        for (String name : missing) {
          usage.put(name, requests.get(name) * fallbackPercent / 100);
        }
      } else if (usageRatio > 1.0) {
        for (String name : missing) {
          usage.put(name, 0L);
        }
      }
    }
    if (scaleUpWithUnready) {
      for (String name : unready) {
        usage.put(name, 0L);
      }
    }
    double newRatio = (double) utilization(usage, requests) / targetUtilization;
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (usageRatio < 1.0 && newRatio > 1.0)
        || (usageRatio > 1.0 && newRatio < 1.0)) {
      return new Result(currentReplicas, utilization, ready, counted, missing.size(), ignored);
    }
    int proposed = (int) Math.ceil(newRatio * usage.size());
    if ((newRatio < 1.0 && proposed > currentReplicas)
        || (newRatio > 1.0 && proposed < currentReplicas)) {
      return new Result(currentReplicas, utilization, ready, counted, missing.size(), ignored);
    }
    return new Result(proposed, utilization, ready, counted, missing.size(), ignored);
  }

  private boolean isUnready(PodState pod, PodState.Metric metric, double now) {
    if (pod.ready().isEmpty() || Double.isNaN(pod.startTime())) {
      return true;
    }
    boolean isReady = pod.ready().get();
    if (pod.startTime() + cpuInitializationPeriod > now) {
      // Still initializing: a sample whose window began before the pod turned ready includes
      // start-up CPU.
      return !isReady || metric.timestamp() < pod.readyTransitionTime() + metric.window();
    }
    // Past initialization: ignore only a pod that is not ready and never has been.
    return !isReady && pod.startTime() + initialReadinessDelay > pod.readyTransitionTime();
  }

  /**
   * sum(usage) × 100 / sum(requests) over the pods that have a sample, truncated like the
   * controller's int64 maths.
   */
  private static int utilization(Map<String, Long> usage, Map<String, Long> requests) {
    long usageTotal = 0;
    long requestTotal = 0;
    for (Map.Entry<String, Long> e : usage.entrySet()) {
      usageTotal += e.getValue();
      requestTotal += requests.get(e.getKey());
    }
    return (int) (usageTotal * 100 / requestTotal);
  }
}
