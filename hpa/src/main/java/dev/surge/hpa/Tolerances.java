package dev.surge.hpa;

/**
 * The scale-up and scale-down tolerances of one HPA: a usage ratio within {@code [1 - scaleDown, 1
 * + scaleUp]} changes nothing. Kubernetes 1.33+ reads them from {@code
 * behavior.scaleUp/scaleDown.tolerance}; otherwise both are the controller's {@code
 * --horizontal-pod-autoscaler-tolerance} (default 0.1). After upstream's {@code Tolerances} in
 * {@code replica_calculator.go}.
 *
 * @param scaleDown how far below 1 the ratio may fall without scaling down
 * @param scaleUp how far above 1 the ratio may rise without scaling up
 */
public record Tolerances(double scaleDown, double scaleUp) {
  public Tolerances {
    if (!(scaleDown >= 0)
        || !(scaleUp >= 0)
        || Double.isInfinite(scaleUp)
        || Double.isInfinite(scaleDown)) {
      throw new IllegalArgumentException(
          "tolerances must be finite and >= 0, got down " + scaleDown + ", up " + scaleUp);
    }
  }

  /** The same tolerance both ways. */
  public static Tolerances of(double both) {
    return new Tolerances(both, both);
  }

  /** Whether the ratio is inside the band, in float64 as upstream compares it. */
  public boolean isWithin(double usageRatio) {
    return (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp);
  }
}
