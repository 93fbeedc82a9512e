package dev.surge.hpa;

import java.util.List;

/**
 * The rules for one scaling direction ({@code behavior.scaleUp} or {@code behavior.scaleDown}) with
 * the API server's defaults filled in, as the autoscaling/v2 defaulting does when {@code behavior}
 * is present.
 *
 * <p>Defaults: scale-up window 0 s, policies {@code Percent 100/15s} and {@code Pods 4/15s}, select
 * {@code Max}; scale-down window 300 s, policy {@code Percent 100/15s}, select {@code Max}.
 */
public record ScalingRules(
    int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies) {
  /**
   * {@code selectPolicy}: the policy allowing the biggest change, the smallest, or no change at
   * all.
   */
  public enum SelectPolicy {
    MAX,
    MIN,
    DISABLED
  }

  public ScalingRules {
    if (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600) {
      throw new IllegalArgumentException(
          "stabilizationWindowSeconds must be 0..3600, got " + stabilizationWindowSeconds);
    }
    policies = List.copyOf(policies);
    if (policies.isEmpty() && selectPolicy != SelectPolicy.DISABLED) {
      throw new IllegalArgumentException(
          "scaling rules need at least one policy unless selectPolicy is Disabled");
    }
  }

  public static ScalingRules defaultScaleUp() {
    return new ScalingRules(
        0, SelectPolicy.MAX, List.of(ScalingPolicy.percent(100, 15), ScalingPolicy.pods(4, 15)));
  }

  public static ScalingRules defaultScaleDown() {
    return new ScalingRules(300, SelectPolicy.MAX, List.of(ScalingPolicy.percent(100, 15)));
  }

  /** The longest policy period: scale events older than this no longer limit anything. */
  int longestPeriodSeconds() {
    return policies.stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
  }
}
