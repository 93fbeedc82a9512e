package dev.surge.hpa;

import java.util.List;

/**
 * What KEDA's operator does itself for a ScaledObject, beside the HPA it creates ({@link
 * KedaOperator} runs it): with {@code minReplicaCount: 0}, or with {@code idleReplicaCount} set, it
 * scales the Deployment to zero (or to the idle count) when no trigger has been active for {@code
 * cooldownPeriod}, and back to {@code max(minReplicaCount, 1)} as soon as one is (a trigger is
 * active when its value exceeds its {@code activationThreshold}). It checks the triggers every
 * {@code pollingInterval}. From 1 to N replicas the HPA decides.
 *
 * @param scaledObject the ScaledObject's name
 * @param minReplicaCount {@code minReplicaCount} (default 0: scale to zero)
 * @param idleReplicaCount {@code idleReplicaCount}, -1 when unset
 * @param pollingIntervalSeconds {@code pollingInterval} (default 30)
 * @param cooldownPeriodSeconds {@code cooldownPeriod} (default 300)
 * @param initialCooldownPeriodSeconds {@code initialCooldownPeriod} (default 0): how long after the
 *     ScaledObject's creation KEDA waits before it may scale a target that was never active to zero
 * @param activations the activation threshold of each HPA metric, in the HPA's metric order, as a
 *     milli-value; negative for cpu/memory triggers, which never activate a scale from zero
 */
public record KedaScaling(
    String scaledObject,
    int minReplicaCount,
    int idleReplicaCount,
    int pollingIntervalSeconds,
    int cooldownPeriodSeconds,
    int initialCooldownPeriodSeconds,
    List<Long> activations) {
  /** KEDA's defaults (pkg/scaling/executor/scale_executor.go, the ScaledObject spec). */
  public static final int DEFAULT_POLLING_INTERVAL = 30;

  public static final int DEFAULT_COOLDOWN_PERIOD = 300;
  public static final int DEFAULT_INITIAL_COOLDOWN_PERIOD = 0;

  public KedaScaling {
    activations = List.copyOf(activations);
    if (pollingIntervalSeconds < 1) {
      throw new IllegalArgumentException(
          "pollingInterval must be >= 1, got " + pollingIntervalSeconds);
    }
    if (cooldownPeriodSeconds < 0) {
      throw new IllegalArgumentException(
          "cooldownPeriod must be >= 0, got " + cooldownPeriodSeconds);
    }
    if (initialCooldownPeriodSeconds < 0) {
      throw new IllegalArgumentException(
          "initialCooldownPeriod must be >= 0, got " + initialCooldownPeriodSeconds);
    }
  }

  /** Whether idle mode is on ({@code idleReplicaCount} set). */
  public boolean idleMode() {
    return idleReplicaCount >= 0;
  }

  /**
   * Whether KEDA's own loop changes the replica count: {@code minReplicaCount: 0} or idle mode.
   * Else the HPA's {@code minReplicas} (= {@code minReplicaCount}) covers everything KEDA would do.
   */
  public boolean scaleToZero() {
    return minReplicaCount == 0 || idleMode();
  }

  /** The count KEDA scales an active target up to from zero or idle: {@code max(min, 1)}. */
  public int activeReplicas() {
    return minReplicaCount > 0 ? minReplicaCount : 1;
  }

  /** The count KEDA scales an idle target down to: {@code idleReplicaCount}, else min. */
  public int idleReplicas() {
    return idleMode() ? idleReplicaCount : minReplicaCount;
  }

  /** This ScaledObject on other clocks ({@code lab --fast}). */
  public KedaScaling withTiming(int polling, int cooldown, int initialCooldown) {
    return new KedaScaling(
        scaledObject,
        minReplicaCount,
        idleReplicaCount,
        polling,
        cooldown,
        initialCooldown,
        activations);
  }
}
