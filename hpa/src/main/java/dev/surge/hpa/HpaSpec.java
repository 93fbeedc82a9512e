package dev.surge.hpa;

import java.util.Optional;

/**
 * What the simulator and planner need from a HorizontalPodAutoscaler (autoscaling/v2) with a CPU
 * utilization target.
 *
 * @param name HPA name
 * @param namespace HPA namespace (may be empty when the manifest has none)
 * @param targetName the scaled Deployment's name ({@code scaleTargetRef.name})
 * @param minReplicas {@code minReplicas} (defaulted to 1)
 * @param maxReplicas {@code maxReplicas}
 * @param targetUtilizationPercent the CPU {@code averageUtilization} target (defaulted to 80 when
 *     no metric is given)
 * @param behavior the scale-up and scale-down rules when {@code behavior} is set; empty selects the
 *     controller's legacy path (300 s max-of-recommendations stabilization and the {@code
 *     max(2×current, 4)} scale-up cap)
 */
public record HpaSpec(
    String name,
    String namespace,
    String targetName,
    int minReplicas,
    int maxReplicas,
    int targetUtilizationPercent,
    Optional<Behavior> behavior) {

  /** {@code spec.behavior} with the defaults filled in. */
  public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {}

  public HpaSpec {
    if (minReplicas < 1) {
      throw new IllegalArgumentException("minReplicas must be >= 1, got " + minReplicas);
    }
    if (maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "maxReplicas must be >= minReplicas (" + minReplicas + "), got " + maxReplicas);
    }
    if (targetUtilizationPercent < 1) {
      throw new IllegalArgumentException(
          "CPU averageUtilization target must be >= 1, got " + targetUtilizationPercent);
    }
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

  public HpaSpec withBehavior(ScalingRules scaleUp, ScalingRules scaleDown) {
    return new HpaSpec(
        name,
        namespace,
        targetName,
        minReplicas,
        maxReplicas,
        targetUtilizationPercent,
        Optional.of(new Behavior(scaleUp, scaleDown)));
  }
}
