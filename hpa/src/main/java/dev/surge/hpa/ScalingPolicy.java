package dev.surge.hpa;

/**
 * One {@code behavior.scaleUp/scaleDown.policies[]} entry of an autoscaling/v2 HPA: how many pods
 * ({@code Pods}) or what share of the replicas at the start of the period ({@code Percent}) may
 * change within {@code periodSeconds}.
 */
public record ScalingPolicy(Type type, int value, int periodSeconds) {
  /** The policy types of autoscaling/v2. */
  public enum Type {
    PODS,
    PERCENT
  }

  public ScalingPolicy {
    if (value <= 0) {
      throw new IllegalArgumentException("scaling policy value must be > 0, got " + value);
    }
    if (periodSeconds <= 0 || periodSeconds > 1800) {
      throw new IllegalArgumentException(
          "scaling policy periodSeconds must be 1..1800, got " + periodSeconds);
    }
  }

  public static ScalingPolicy pods(int value, int periodSeconds) {
    return new ScalingPolicy(Type.PODS, value, periodSeconds);
  }

  public static ScalingPolicy percent(int value, int periodSeconds) {
    return new ScalingPolicy(Type.PERCENT, value, periodSeconds);
  }
}
