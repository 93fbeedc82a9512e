package dev.surge.hpa;

import java.util.List;
import java.util.Optional;

/**
 * What the simulator and planner need from a HorizontalPodAutoscaler (autoscaling/v2), or from the
 * HPA that KEDA creates for a ScaledObject.
 *
 * @param name HPA name
 * @param namespace HPA namespace (may be empty when the manifest has none)
 * @param targetName the scaled Deployment's name ({@code scaleTargetRef.name})
 * @param minReplicas {@code minReplicas} (defaulted to 1)
 * @param maxReplicas {@code maxReplicas}
 * @param metrics {@code spec.metrics}, in order (defaulted to CPU utilization 80 % when none is
 *     given, as the API server does)
 * @param behavior the scale-up and scale-down rules when {@code behavior} is set; empty selects the
 *     controller's legacy path (300 s max-of-recommendations stabilization and the {@code
 *     max(2×current, 4)} scale-up cap)
 * @param tolerances {@code behavior.scaleUp/scaleDown.tolerance} where set; empty sides take the
 *     controller's tolerance
 * @param keda the ScaledObject's own scaling (activation and scale to zero) when KEDA owns this HPA
 */
public record HpaSpec(
    String name,
    String namespace,
    String targetName,
    int minReplicas,
    int maxReplicas,
    List<MetricSpec> metrics,
    Optional<Behavior> behavior,
    ToleranceOverrides tolerances,
    Optional<KedaScaling> keda) {

  /** {@code spec.behavior} with the defaults filled in. */
  public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {}

  /**
   * Per-direction tolerances from {@code behavior}; NaN where unset (then the controller's
   * tolerance applies).
   */
  public record ToleranceOverrides(double scaleDown, double scaleUp) {
    public static final ToleranceOverrides NONE = new ToleranceOverrides(Double.NaN, Double.NaN);

    /** Fills the unset sides with the controller's tolerance. */
    public Tolerances resolve(double controllerTolerance) {
      return new Tolerances(
          Double.isNaN(scaleDown) ? controllerTolerance : scaleDown,
          Double.isNaN(scaleUp) ? controllerTolerance : scaleUp);
    }
  }

  public HpaSpec {
    if (minReplicas < 1) {
      throw new IllegalArgumentException("minReplicas must be >= 1, got " + minReplicas);
    }
    if (maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "maxReplicas must be >= minReplicas (" + minReplicas + "), got " + maxReplicas);
    }
    metrics = List.copyOf(metrics);
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("an HPA needs at least one metric");
    }
  }

  /** A CPU-utilization HPA, as before several metrics were modelled. */
  public HpaSpec(
      String name,
      String namespace,
      String targetName,
      int minReplicas,
      int maxReplicas,
      int targetUtilizationPercent,
      Optional<Behavior> behavior) {
    this(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        List.of(cpuTarget(targetUtilizationPercent)),
        behavior,
        ToleranceOverrides.NONE,
        Optional.empty());
  }

  private static MetricSpec cpuTarget(int percent) {
    if (percent < 1) {
      throw new IllegalArgumentException(
          "CPU averageUtilization target must be >= 1, got " + percent);
    }
    return MetricSpec.cpuUtilization(percent);
  }

  /** An HPA without {@code behavior}: the legacy normalization applies. */
  public static HpaSpec of(int minReplicas, int maxReplicas, int targetUtilizationPercent) {
    return new HpaSpec(
        "hpa",
        "",
        "deployment",
        minReplicas,
        maxReplicas,
        targetUtilizationPercent,
        Optional.empty());
  }

  /**
   * The first {@code Resource cpu} utilization target in percent, or 0 when the HPA has none (it
   * scales on other metrics).
   */
  public int targetUtilizationPercent() {
    return metrics.stream()
        .filter(m -> m.source() == MetricSpec.Source.RESOURCE && m.isCpu())
        .filter(m -> m.targetType() == MetricSpec.TargetType.UTILIZATION)
        .mapToInt(m -> (int) m.target())
        .findFirst()
        .orElse(0);
  }

  /** This HPA with another {@code maxReplicas} (the lab's cap). */
  public HpaSpec withMaxReplicas(int max) {
    return new HpaSpec(
        name, namespace, targetName, minReplicas, max, metrics, behavior, tolerances, keda);
  }

  /** This HPA with another {@code minReplicas}. */
  public HpaSpec withMinReplicas(int min) {
    return new HpaSpec(
        name, namespace, targetName, min, maxReplicas, metrics, behavior, tolerances, keda);
  }

  public HpaSpec withBehavior(ScalingRules scaleUp, ScalingRules scaleDown) {
    return new HpaSpec(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        metrics,
        Optional.of(new Behavior(scaleUp, scaleDown)),
        tolerances,
        keda);
  }

  public HpaSpec withMetrics(List<MetricSpec> newMetrics) {
    return new HpaSpec(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        newMetrics,
        behavior,
        tolerances,
        keda);
  }

  /**
   * Per-direction tolerances ({@code behavior.scaleUp/scaleDown.tolerance}); NaN leaves one unset.
   */
  public HpaSpec withTolerances(double scaleDown, double scaleUp) {
    return new HpaSpec(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        metrics,
        behavior,
        new ToleranceOverrides(scaleDown, scaleUp),
        keda);
  }

  public HpaSpec withKeda(KedaScaling k) {
    return new HpaSpec(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        metrics,
        behavior,
        tolerances,
        Optional.of(k));
  }
}
