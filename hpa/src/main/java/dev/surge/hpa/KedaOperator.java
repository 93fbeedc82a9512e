package dev.surge.hpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * KEDA's operator loop for one ScaledObject, after {@code RequestScale} of KEDA's {@code
 * pkg/scaling/executor/scale_scaledobjects.go} and {@code getScaledObjectState} of {@code
 * pkg/scaling/scale_handler.go}: at every {@code pollingInterval} it reads each trigger, and
 *
 * <ul>
 *   <li>the ScaledObject is <b>active</b> when a trigger's value exceeds its {@code
 *       activationThreshold} (strictly; cpu/memory triggers never count, but a ScaledObject with
 *       only cpu/memory triggers is always active); a trigger whose query fails is an error;
 *   <li>active at 0 replicas (or, in idle mode, below {@code minReplicaCount}) → {@code max(min,
 *       1)} ({@code KEDAScaleTargetActivated}, naming the active triggers); active otherwise → the
 *       last active time is now, unless a trigger failed ({@code PartialTriggerError});
 *   <li>not active with a failed trigger → nothing changes ({@code TriggerError}; {@code fallback}
 *       is not modelled);
 *   <li>not active above the idle count (idle mode) or above 0 with {@code minReplicaCount: 0} →
 *       the idle count or 0 once {@code cooldownPeriod} has passed since the last active poll, or,
 *       when it was never active, once {@code initialCooldownPeriod} has passed since the
 *       ScaledObject was created ({@code KEDAScaleTargetDeactivated}); else it is cooling down
 *       ({@code ScalerCooldown});
 *   <li>not active below {@code minReplicaCount} without idle mode → {@code minReplicaCount}.
 * </ul>
 *
 * The HPA KEDA creates does the rest: from {@code minReplicas = max(min, 1)} to N, and nothing at 0
 * ({@code ScalingDisabled}). The simulator and the lab run this one model.
 *
 * <p>Not thread-safe: one caller polls ({@code simulate}'s loop, the lab controller's thread).
 */
public final class KedaOperator {
  private final KedaScaling scaling;
  private final List<MetricSpec> metrics;
  private final double createdAt;
  private double lastActive = Double.NaN;

  /**
   * One poll's outcome.
   *
   * @param replicas the count KEDA sets, the current one when it leaves it
   * @param active whether a trigger was active
   * @param reason KEDA's event or condition reason: {@code KEDAScaleTargetActivated}, {@code
   *     KEDAScaleTargetDeactivated}, {@code MinReplicaCount}, {@code ScalerActive}, {@code
   *     ScalerCooldown}, {@code ScalerNotActive}, {@code PartialTriggerError}, {@code TriggerError}
   * @param message why, in words: each trigger's value against its activation threshold, the
   *     cooldown
   */
  public record Poll(int replicas, boolean active, String reason, String message) {}

  /**
   * @param hpa the HPA KEDA created, with its {@link HpaSpec#keda()}
   * @param createdAt when the ScaledObject was created, on the caller's clock (seconds)
   */
  public KedaOperator(HpaSpec hpa, double createdAt) {
    this.scaling =
        hpa.keda()
            .orElseThrow(() -> new IllegalArgumentException(hpa.name() + " is not KEDA's HPA"));
    this.metrics = hpa.metrics();
    this.createdAt = createdAt;
  }

  public KedaScaling scaling() {
    return scaling;
  }

  /** The last poll at which a trigger was active, NaN before. */
  public double lastActive() {
    return lastActive;
  }

  /**
   * One poll.
   *
   * @param now the poll's time (seconds, the clock of {@code createdAt})
   * @param current the Deployment's replica count
   * @param readings the External metrics as KEDA's metrics server answers them (an empty value is a
   *     failed query)
   */
  public Poll poll(double now, int current, MetricReadings readings) {
    boolean active = false;
    boolean error = false;
    boolean triggers = false;
    List<String> activeTriggers = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      MetricSpec m = metrics.get(i);
      long threshold = scaling.activations().get(i);
      if (threshold < 0 || m.source() != MetricSpec.Source.EXTERNAL) {
        continue; // cpu/memory: no activity of their own
      }
      triggers = true;
      OptionalLong v = readings.externalValue(m);
      if (v.isEmpty()) {
        error = true;
        values.add(m.name() + " failed");
        continue;
      }
      boolean on = v.getAsLong() > threshold;
      String text =
          m.name()
              + " "
              + milli(v.getAsLong())
              + (on ? " > " : " <= ")
              + "activationThreshold "
              + milli(threshold);
      values.add(text);
      if (on) {
        active = true;
        activeTriggers.add(text);
      }
    }
    if (!triggers && !error) {
      active = true; // only cpu/memory triggers: always active (getScaledObjectState)
      values.add("only cpu/memory triggers: always active");
    }
    String state = String.join(", ", values);
    int min = scaling.minReplicaCount();
    if (active) {
      if ((scaling.idleMode() && current < min) || current == 0) {
        lastActive = now;
        return new Poll(
            scaling.activeReplicas(),
            true,
            "KEDAScaleTargetActivated",
            "triggered by " + String.join("; ", activeTriggers));
      }
      if (error) {
        return new Poll(current, true, "PartialTriggerError", state);
      }
      lastActive = now;
      return new Poll(current, true, "ScalerActive", state);
    }
    if (error) {
      return new Poll(current, false, "TriggerError", state);
    }
    if ((scaling.idleMode() && current > scaling.idleReplicaCount()) || (current > 0 && min == 0)) {
      boolean neverActive = Double.isNaN(lastActive);
      double since = neverActive ? createdAt : lastActive;
      int period =
          neverActive ? scaling.initialCooldownPeriodSeconds() : scaling.cooldownPeriodSeconds();
      // KEDA compares with Before(now) at the poll's wall-clock time, a few milliseconds after the
      // tick that set lastActive; on a discrete clock that is "the period has elapsed".
      if (now - since >= period) {
        return new Poll(
            scaling.idleReplicas(),
            false,
            "KEDAScaleTargetDeactivated",
            state
                + (neverActive
                    ? String.format(
                        Locale.ROOT,
                        "; never active, initialCooldownPeriod %ds since the ScaledObject was"
                            + " created",
                        period)
                    : String.format(
                        Locale.ROOT,
                        "; cooldownPeriod %ds since the last active poll at %.0fs",
                        period,
                        lastActive)));
      }
      return new Poll(current, false, "ScalerCooldown", state);
    }
    if (!scaling.idleMode() && current < min) {
      return new Poll(min, false, "MinReplicaCount", state);
    }
    return new Poll(current, false, "ScalerNotActive", state);
  }

  private static String milli(long v) {
    return v % 1000 == 0 ? Long.toString(v / 1000) : String.format(Locale.ROOT, "%.3g", v / 1000.0);
  }
}
