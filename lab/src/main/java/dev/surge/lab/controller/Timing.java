package dev.surge.lab.controller;

import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.KedaScaling;
import dev.surge.hpa.ScalingPolicy;
import dev.surge.hpa.ScalingRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's clocks: the controller's sync period, metrics-server's window and the HPA (with its
 * behavior). By default they are the manifest's and the controller manager's defaults; {@link
 * #fast} shortens them for a demo and lists every change, so the output says exactly what differs
 * from the manifest.
 *
 * @param syncPeriodSeconds {@code --horizontal-pod-autoscaler-sync-period}
 * @param metricWindowSeconds metrics-server's window
 * @param hpa the HPA the controller runs
 * @param changes what differs from the manifest and the defaults, one line each (empty for the
 *     manifest)
 */
public record Timing(
    int syncPeriodSeconds, int metricWindowSeconds, HpaSpec hpa, List<String> changes) {
  /** Default sync period and metrics window of a cluster (15 s each). */
  public static final int DEFAULT_SECONDS = 15;

  static final int FAST_SYNC = 5;
  static final int FAST_WINDOW = 5;
  static final int FAST_UP_WINDOW = 10;
  static final int FAST_DOWN_WINDOW = 20;
  static final int FAST_POLICY_PERIOD = 10;
  static final int FAST_COOLDOWN = 30;

  public Timing {
    changes = List.copyOf(changes);
  }

  /** The manifest as written, with the cluster defaults. */
  public static Timing manifest(HpaSpec hpa) {
    return new Timing(DEFAULT_SECONDS, DEFAULT_SECONDS, hpa, List.of());
  }

  /**
   * The {@code --fast} preset: sync period and metric window 5 s, scale-up stabilization at most 10
   * s, scale-down stabilization at most 20 s, policy periods at most 10 s; for a ScaledObject that
   * scales to zero KEDA's {@code pollingInterval} at most 5 s (the sync period) and {@code
   * cooldownPeriod} and {@code initialCooldownPeriod} at most 30 s (longer than the scale-down
   * window, so the HPA's N to 1 comes before KEDA's 1 to 0, as with the defaults' 300 s after 300
   * s). Replica bounds, targets, thresholds and policy values stay.
   */
  public static Timing fast(HpaSpec hpa) {
    List<String> changes = new ArrayList<>();
    changes.add(
        "sync period        " + DEFAULT_SECONDS + "s -> " + FAST_SYNC + "s (controller default)");
    changes.add(
        "metric window      "
            + DEFAULT_SECONDS
            + "s -> "
            + FAST_WINDOW
            + "s (metrics-server default)");
    HpaSpec fast = hpa;
    if (hpa.behavior().isPresent()) {
      HpaSpec.Behavior b = hpa.behavior().get();
      fast =
          hpa.withBehavior(
              shorten("scaleUp", b.scaleUp(), FAST_UP_WINDOW, changes),
              shorten("scaleDown", b.scaleDown(), FAST_DOWN_WINDOW, changes));
    } else {
      changes.add(
          "behavior           none in the manifest: the controller's 300s downscale window stays");
    }
    if (fast.keda().isPresent() && fast.keda().get().scaleToZero()) {
      KedaScaling k = fast.keda().get();
      int polling = Math.min(k.pollingIntervalSeconds(), FAST_SYNC);
      int cooldown = Math.min(k.cooldownPeriodSeconds(), FAST_COOLDOWN);
      int initial = Math.min(k.initialCooldownPeriodSeconds(), FAST_COOLDOWN);
      change(changes, "KEDA polling", k.pollingIntervalSeconds(), polling);
      change(changes, "KEDA cooldown", k.cooldownPeriodSeconds(), cooldown);
      change(changes, "KEDA initial cool", k.initialCooldownPeriodSeconds(), initial);
      fast = fast.withKeda(k.withTiming(polling, cooldown, initial));
    }
    return new Timing(FAST_SYNC, FAST_WINDOW, fast, changes);
  }

  private static void change(List<String> changes, String what, int from, int to) {
    if (from != to) {
      changes.add(String.format("%-18s %ds -> %ds", what, from, to));
    }
  }

  private static ScalingRules shorten(
      String direction, ScalingRules rules, int window, List<String> changes) {
    int w = Math.min(rules.stabilizationWindowSeconds(), window);
    if (w != rules.stabilizationWindowSeconds()) {
      changes.add(
          String.format(
              "%-18s %ds -> %ds", direction + " window", rules.stabilizationWindowSeconds(), w));
    }
    List<ScalingPolicy> policies = new ArrayList<>();
    for (ScalingPolicy p : rules.policies()) {
      int period = Math.min(p.periodSeconds(), FAST_POLICY_PERIOD);
      if (period != p.periodSeconds()) {
        changes.add(
            String.format(
                "%-18s %s %d per %ds -> per %ds",
                direction + " policy",
                p.type() == ScalingPolicy.Type.PODS ? "Pods" : "Percent",
                p.value(),
                p.periodSeconds(),
                period));
      }
      policies.add(new ScalingPolicy(p.type(), p.value(), period));
    }
    return new ScalingRules(w, rules.selectPolicy(), policies);
  }
}
