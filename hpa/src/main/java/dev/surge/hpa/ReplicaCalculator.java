package dev.surge.hpa;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
   * Proposes a replica count for a CPU utilization target with the calculator's tolerance both
   * ways.
   *
   * @param currentReplicas the scale target's current replica count
   * @param targetUtilization the CPU {@code averageUtilization} target in percent
   * @param pods the pods matching the selector
   * @param now the sync time in seconds
   */
  public Result cpuReplicas(
      int currentReplicas, int targetUtilization, List<PodState> pods, double now)
      throws NoMetricsException {
    MetricResult r =
        replicas(
            currentReplicas,
            currentReplicas,
            MetricSpec.cpuUtilization(targetUtilization),
            pods,
            MetricReadings.cpuOnly(),
            now,
            Tolerances.of(tolerance));
    return new Result(
        r.replicas(),
        (int) r.current(),
        r.readyPods(),
        r.unreadyPods(),
        r.missingPods(),
        r.ignoredPods());
  }

  /**
   * The outcome of one metric's calculation.
   *
   * @param replicas the proposed replica count
   * @param current what the controller reports as the metric's current value: the utilization in
   *     percent for a Utilization target, else the average (per pod) or total milli-value
   * @param readyPods pods whose sample counted (per-pod metrics), or ready pods (Object/External
   *     Value)
   * @param unreadyPods pods whose sample was set aside as unready
   * @param missingPods pods without a sample
   * @param ignoredPods pods being deleted or failed
   */
  public record MetricResult(
      int replicas,
      long current,
      int readyPods,
      int unreadyPods,
      int missingPods,
      int ignoredPods) {}

  /**
   * Proposes a replica count for one metric of any autoscaling/v2 source, after upstream's {@code
   * GetResourceReplicas}, {@code GetRawResourceReplicas}, {@code GetMetricReplicas}, {@code
   * GetObjectMetricReplicas}, {@code GetObjectPerPodMetricReplicas}, {@code
   * GetExternalMetricReplicas} and {@code GetExternalPerPodMetricReplicas}.
   *
   * @param specReplicas the scale target's {@code spec.replicas}
   * @param statusReplicas the scale target's {@code status.replicas} (the per-pod Object and
   *     External targets divide by it)
   * @param metric the metric and its target
   * @param pods the pods matching the selector
   * @param readings what the metrics APIs return
   * @param now the sync time in seconds
   * @param tolerances the band within which nothing changes
   * @throws NoMetricsException when the metric cannot be computed (the controller then treats the
   *     metric as invalid)
   */
  public MetricResult replicas(
      int specReplicas,
      int statusReplicas,
      MetricSpec metric,
      List<PodState> pods,
      MetricReadings readings,
      double now,
      Tolerances tolerances)
      throws NoMetricsException {
    return switch (metric.source()) {
      case RESOURCE, CONTAINER_RESOURCE ->
          metric.targetType() == MetricSpec.TargetType.UTILIZATION
              ? utilizationReplicas(specReplicas, metric, pods, readings, now, tolerances)
              : plainReplicas(specReplicas, metric, pods, readings, now, tolerances);
      case PODS -> plainReplicas(specReplicas, metric, pods, readings, now, tolerances);
      case OBJECT -> {
        OptionalLong v = readings.objectValue(metric);
        if (v.isEmpty()) {
          throw new NoMetricsException("unable to get metric " + metric.name() + " on its object");
        }
        yield metric.targetType() == MetricSpec.TargetType.VALUE
            ? totalReplicas(specReplicas, v.getAsLong(), metric.target(), pods, tolerances)
            : perPodReplicas(statusReplicas, v.getAsLong(), metric.target(), tolerances);
      }
      case EXTERNAL -> {
        OptionalLong v = readings.externalValue(metric);
        if (v.isEmpty()) {
          throw new NoMetricsException("unable to get external metric " + metric.name());
        }
        yield metric.targetType() == MetricSpec.TargetType.VALUE
            ? totalReplicas(specReplicas, v.getAsLong(), metric.target(), pods, tolerances)
            : perPodReplicas(statusReplicas, v.getAsLong(), metric.target(), tolerances);
      }
    };
  }

  /** Pods sorted into ready samples, unready, missing and ignored, as upstream's groupPods. */
  private final class Groups {
    final Map<String, Long> usage = new HashMap<>();
    final Map<String, Long> requests = new HashMap<>();
    final Set<String> unready = new HashSet<>();
    final Set<String> missing = new HashSet<>();
    int ignored;
    int ready;

    Groups(MetricSpec metric, List<PodState> pods, MetricReadings readings, double now)
        throws NoMetricsException {
      if (pods.isEmpty()) {
        throw new NoMetricsException(
            "no pods returned by selector while calculating replica count");
      }
      for (PodState pod : pods) {
        if (metric.isResource()) {
          requests.put(pod.name(), readings.podRequest(metric, pod));
        }
        if (pod.deleting() || pod.phase() == PodState.Phase.FAILED) {
          ignored++;
          continue;
        }
        if (pod.phase() == PodState.Phase.PENDING) {
          unready.add(pod.name());
          continue;
        }
        Optional<PodState.Metric> sample = readings.podSample(metric, pod);
        if (sample.isEmpty()) {
          missing.add(pod.name());
          continue;
        }
        // Only CPU sets aside the samples of starting pods: their start-up burns CPU.
        if (metric.isCpu() && isUnready(pod, sample.get(), now)) {
          unready.add(pod.name());
          continue;
        }
        usage.put(pod.name(), sample.get().millicores());
        ready++;
      }
      if (usage.isEmpty()) {
        throw new NoMetricsException(
            "did not receive metrics for targeted pods (pods might be unready)");
      }
    }
  }

  private MetricResult utilizationReplicas(
      int currentReplicas,
      MetricSpec metric,
      List<PodState> pods,
      MetricReadings readings,
      double now,
      Tolerances tol)
      throws NoMetricsException {
    Groups g = new Groups(metric, pods, readings, now);
    for (String name : g.usage.keySet()) {
      if (g.requests.get(name) <= 0) {
        throw new IllegalArgumentException(
            "missing request for " + metric.name() + " in pod " + name);
      }
    }
    long targetUtilization = metric.target();
    int utilization = utilization(g.usage, g.requests);
    double usageRatio = (double) utilization / targetUtilization;
    boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
    int unready = g.unready.size();
    int missing = g.missing.size();
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (tol.isWithin(usageRatio)) {
        return new MetricResult(currentReplicas, utilization, g.ready, unready, 0, g.ignored);
      }
      return new MetricResult(
          (int) Math.ceil(usageRatio * g.ready), utilization, g.ready, unready, 0, g.ignored);
    }
    // Fill in the pods without a usable sample conservatively, so that they dampen the change.
    if (!g.missing.isEmpty()) {
      if (usageRatio < 1.0) {
        long fallbackPercent = Math.max(100, targetUtilization);
        for (String name : g.missing) {
          g.usage.put(name, g.requests.get(name) * fallbackPercent / 100);
        }
      } else if (usageRatio > 1.0) {
        for (String name : g.missing) {
          g.usage.put(name, 0L);
        }
      }
    }
    if (scaleUpWithUnready) {
      for (String name : g.unready) {
        g.usage.put(name, 0L);
      }
    }
    double newRatio = (double) utilization(g.usage, g.requests) / targetUtilization;
    int proposed = rebalanced(currentReplicas, usageRatio, newRatio, g.usage.size(), tol);
    return new MetricResult(proposed, utilization, g.ready, unready, missing, g.ignored);
  }

  /** {@code calcPlainMetricReplicas}: a per-pod average against an average-value target. */
  private MetricResult plainReplicas(
      int currentReplicas,
      MetricSpec metric,
      List<PodState> pods,
      MetricReadings readings,
      double now,
      Tolerances tol)
      throws NoMetricsException {
    Groups g = new Groups(metric, pods, readings, now);
    long target = metric.target();
    long average = average(g.usage);
    double usageRatio = (double) average / target;
    boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
    int unready = g.unready.size();
    int missing = g.missing.size();
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (tol.isWithin(usageRatio)) {
        return new MetricResult(currentReplicas, average, g.ready, unready, 0, g.ignored);
      }
      return new MetricResult(
          (int) Math.ceil(usageRatio * g.ready), average, g.ready, unready, 0, g.ignored);
    }
    // Unlike a utilization target, a missing pod on a scale-down counts at exactly the target.
    if (!g.missing.isEmpty()) {
      long fill = usageRatio < 1.0 ? target : usageRatio > 1.0 ? 0 : -1;
      if (fill >= 0) {
        for (String name : g.missing) {
          g.usage.put(name, fill);
        }
      }
    }
    if (scaleUpWithUnready) {
      for (String name : g.unready) {
        g.usage.put(name, 0L);
      }
    }
    double newRatio = (double) average(g.usage) / target;
    int proposed = rebalanced(currentReplicas, usageRatio, newRatio, g.usage.size(), tol);
    return new MetricResult(proposed, average, g.ready, unready, missing, g.ignored);
  }

  /**
   * The second pass: inside the band, or a change of direction, keeps the count; so does a count
   * that moved against the ratio.
   */
  private static int rebalanced(
      int currentReplicas, double usageRatio, double newRatio, int counted, Tolerances tol) {
    if (tol.isWithin(newRatio)
        || (usageRatio < 1.0 && newRatio > 1.0)
        || (usageRatio > 1.0 && newRatio < 1.0)) {
      return currentReplicas;
    }
    int proposed = (int) Math.ceil(newRatio * counted);
    if ((newRatio < 1.0 && proposed > currentReplicas)
        || (newRatio > 1.0 && proposed < currentReplicas)) {
      return currentReplicas;
    }
    return proposed;
  }

  /**
   * {@code getUsageRatioReplicaCount}: a total against a total target, scaled by the ready pods;
   * from zero replicas {@code ceil(ratio)}.
   */
  private static MetricResult totalReplicas(
      int currentReplicas, long usage, long target, List<PodState> pods, Tolerances tol)
      throws NoMetricsException {
    double usageRatio = (double) usage / target;
    if (currentReplicas == 0) {
      return new MetricResult(ceilToInt(usageRatio), usage, 0, 0, 0, 0);
    }
    if (tol.isWithin(usageRatio)) {
      return new MetricResult(currentReplicas, usage, 0, 0, 0, 0);
    }
    if (pods.isEmpty()) {
      throw new NoMetricsException(
          "unable to calculate ready pods: no pods returned by selector while calculating replica"
              + " count");
    }
    int ready = 0;
    for (PodState pod : pods) {
      if (pod.phase() == PodState.Phase.RUNNING && pod.ready().orElse(false)) {
        ready++;
      }
    }
    return new MetricResult(ceilToInt(usageRatio * ready), usage, ready, 0, 0, 0);
  }

  /**
   * {@code GetObjectPerPodMetricReplicas} / {@code GetExternalPerPodMetricReplicas}: {@code
   * ceil(total / per-pod target)}; the current count only enters the tolerance test.
   */
  private static MetricResult perPodReplicas(
      int statusReplicas, long usage, long targetPerPod, Tolerances tol) {
    int replicas = statusReplicas;
    double usageRatio = (double) usage / ((double) targetPerPod * statusReplicas);
    if (!tol.isWithin(usageRatio)) {
      replicas = ceilToInt((double) usage / targetPerPod);
    }
    long perPod = statusReplicas == 0 ? usage : (long) Math.ceil((double) usage / statusReplicas);
    return new MetricResult(replicas, perPod, statusReplicas, 0, 0, 0);
  }

  private static int ceilToInt(double v) {
    double c = Math.ceil(v);
    return c > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) c;
  }

  /** sum / count in int64, as {@code GetMetricUsageRatio}. */
  private static long average(Map<String, Long> usage) {
    long total = 0;
    for (long v : usage.values()) {
      total += v;
    }
    return total / usage.size();
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
