package dev.surge.hpa;

import java.util.List;

/**
 * What KEDA's operator does itself for a ScaledObject, beside the HPA it creates: with {@code
 * minReplicaCount: 0} (or {@code idleReplicaCount: 0}) it scales the Deployment to zero when no
 * trigger has been active for {@code cooldownPeriod}, and back to {@code max(minReplicaCount, 1)}
 * as soon as one is (a trigger is active when its value exceeds its {@code activationThreshold}).
 * It checks the triggers every {@code pollingInterval}. From 1 to N replicas the HPA decides.
 *
 * @param scaledObject the ScaledObject's name
 * @param minReplicaCount {@code minReplicaCount} (0 allows scale to zero)
 * @param scaleToZero whether KEDA scales to zero when idle ({@code minReplicaCount} or {@code
 *     idleReplicaCount} is 0)
 * @param pollingIntervalSeconds {@code pollingInterval} (default 30)
 * @param cooldownPeriodSeconds {@code cooldownPeriod} (default 300)
 * @param activations the activation threshold of each HPA metric, in the HPA's metric order, as a
 *     milli-value; negative for cpu/memory triggers, which never activate a scale from zero
 */
public record KedaScaling(
    String scaledObject,
    int minReplicaCount,
    boolean scaleToZero,
    int pollingIntervalSeconds,
    int cooldownPeriodSeconds,
    List<Long> activations) {
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
  }
}
