package dev.surge.hpa;

import java.util.ArrayList;
import java.util.List;

/**
 * The HPA controller's decision for one HPA across syncs, after upstream's {@code horizontal.go}:
 * the replica calculation, then either the legacy normalization (no {@code behavior}: max of the
 * recommendations of the last 300 s, scale-up capped at {@code max(2×current, 4)}, min/max clamps)
 * or the behaviour-driven one (per-direction stabilization windows, policies limiting the change
 * within their periods, {@code selectPolicy}).
 *
 * <p>It keeps the recommendations and scale events it has seen, so one instance follows one HPA
 * through time: {@code Decision d = controller.reconcile(now, currentReplicas, pods);}
 */
public final class HpaController {
  /** The legacy path's downscale stabilization window (controller-manager default 5 min). */
  static final double LEGACY_DOWNSCALE_WINDOW = 300;

  private final HpaSpec spec;
  private final ReplicaCalculator calculator;
  private final List<Sample> recommendations = new ArrayList<>();
  private final List<Sample> scaleUpEvents = new ArrayList<>();
  private final List<Sample> scaleDownEvents = new ArrayList<>();

  private record Sample(double time, int value) {}

  private boolean seen;

  /**
   * One metric's part in a sync.
   *
   * @param metric the metric's label ({@link MetricSpec#label()})
   * @param replicas what it proposed, -1 when it could not be computed
   * @param current its current value (percent for utilization, else a milli-value), -1 without
   * @param error why it could not be computed, empty otherwise
   */
  public record MetricProposal(String metric, int replicas, long current, String error) {}

  /**
   * The outcome of one sync.
   *
   * @param replicas the replica count the controller sets (equal to the current one when it does
   *     not scale)
   * @param proposed the largest count the metrics propose (before stabilization and limits), -1
   *     without metrics
   * @param utilizationPercent the measured CPU utilization, -1 without it
   * @param reason why the count is what it is (a short word, as in the HPA's conditions)
   * @param metric the metric whose proposal was taken (the largest; the first on a tie), empty when
   *     none was
   * @param proposals every metric's proposal, in the HPA's order
   */
  public record Decision(
      int replicas,
      int proposed,
      int utilizationPercent,
      String reason,
      String metric,
      List<MetricProposal> proposals) {
    public Decision {
      proposals = List.copyOf(proposals);
    }

    /** A decision without per-metric detail. */
    public Decision(int replicas, int proposed, int utilizationPercent, String reason) {
      this(replicas, proposed, utilizationPercent, reason, "", List.of());
    }
  }

  public HpaController(HpaSpec spec, ReplicaCalculator calculator) {
    this.spec = spec;
    this.calculator = calculator;
  }

  public HpaSpec spec() {
    return spec;
  }

  /**
   * One sync of the controller with CPU readings only ({@link MetricReadings#cpuOnly()}).
   *
   * @param now sync time in seconds
   * @param currentReplicas the Deployment's current replica count
   * @param pods the pods matching the selector
   */
  public Decision reconcile(double now, int currentReplicas, List<PodState> pods) {
    return reconcile(now, currentReplicas, pods, MetricReadings.cpuOnly());
  }

  /**
   * One sync of the controller.
   *
   * @param now sync time in seconds
   * @param currentReplicas the Deployment's current replica count
   * @param pods the pods matching the selector
   * @param readings what the metrics APIs return at this sync
   */
  public Decision reconcile(
      double now, int currentReplicas, List<PodState> pods, MetricReadings readings) {
    if (!seen) {
      // On first sight of an HPA the controller records the current count as a recommendation, so a
      // scale-up stabilization window holds the first syncs as it would on a cluster.
      seen = true;
      recommendations.add(new Sample(now, currentReplicas));
    }
    int min = spec.minReplicas();
    int max = spec.maxReplicas();
    Decision decision;
    if (currentReplicas == 0 && min != 0) {
      return new Decision(0, -1, -1, "ScalingDisabled");
    } else if (currentReplicas > max) {
      decision = new Decision(max, -1, -1, "AboveMaxReplicas");
    } else if (currentReplicas < min) {
      decision = new Decision(min, -1, -1, "BelowMinReplicas");
    } else {
      Tolerances tolerances = spec.tolerances().resolve(calculator.tolerance());
      List<MetricProposal> proposals = new ArrayList<>();
      int proposed = 0;
      String driver = "";
      int invalid = 0;
      String firstFailure = "";
      int utilization = -1;
      for (MetricSpec metric : spec.metrics()) {
        try {
          ReplicaCalculator.MetricResult r =
              calculator.replicas(
                  currentReplicas, currentReplicas, metric, pods, readings, now, tolerances);
          proposals.add(new MetricProposal(metric.label(), r.replicas(), r.current(), ""));
          if (utilization < 0
              && metric.source() == MetricSpec.Source.RESOURCE
              && metric.isCpu()
              && metric.targetType() == MetricSpec.TargetType.UTILIZATION) {
            utilization = (int) r.current();
          }
          if (proposed == 0 || r.replicas() > proposed) {
            proposed = r.replicas();
            driver = metric.label();
          }
        } catch (ReplicaCalculator.NoMetricsException e) {
          if (invalid++ == 0) {
            firstFailure = failureReason(metric);
          }
          proposals.add(new MetricProposal(metric.label(), -1, -1, e.getMessage()));
        }
      }
      // All metrics invalid, or some invalid and the rest would scale down: the controller keeps
      // the count and records nothing (it may still scale up on the valid ones).
      if (invalid >= spec.metrics().size() || (invalid > 0 && proposed < currentReplicas)) {
        return new Decision(
            currentReplicas,
            invalid >= spec.metrics().size() ? -1 : proposed,
            utilization,
            firstFailure,
            "",
            proposals);
      }
      Normalized normalized =
          spec.behavior().isPresent()
              ? normalizeWithBehavior(now, currentReplicas, proposed, spec.behavior().get())
              : normalizeLegacy(now, currentReplicas, proposed);
      decision =
          new Decision(
              normalized.replicas, proposed, utilization, normalized.reason, driver, proposals);
    }
    if (decision.replicas() != currentReplicas) {
      recordScaleEvent(now, currentReplicas, decision.replicas());
    }
    return decision;
  }

  /** The condition reason upstream sets when this metric cannot be computed. */
  private static String failureReason(MetricSpec metric) {
    return switch (metric.source()) {
      case RESOURCE -> "FailedGetResourceMetric";
      case CONTAINER_RESOURCE -> "FailedGetContainerResourceMetric";
      case PODS -> "FailedGetPodsMetric";
      case OBJECT -> "FailedGetObjectMetric";
      case EXTERNAL -> "FailedGetExternalMetric";
    };
  }

  private record Normalized(int replicas, String reason) {}

  private Normalized normalizeLegacy(double now, int current, int proposed) {
    // Max of this recommendation and those of the last 5 minutes, so a brief dip never scales down.
    int stabilized = proposed;
    for (Sample r : recommendations) {
      if (r.time() >= now - LEGACY_DOWNSCALE_WINDOW && r.value() > stabilized) {
        stabilized = r.value();
      }
    }
    recommendations.removeIf(r -> r.time() < now - LEGACY_DOWNSCALE_WINDOW);
    recommendations.add(new Sample(now, proposed));
    String reason = stabilized != proposed ? "ScaleDownStabilized" : "ReadyForNewScale";

    int scaleUpLimit = (int) Math.max(2.0 * current, 4.0);
    int minimumAllowed = Math.max(spec.minReplicas(), 1);
    int maximumAllowed = Math.min(spec.maxReplicas(), scaleUpLimit);
    if (stabilized < minimumAllowed) {
      return new Normalized(minimumAllowed, "TooFewReplicas");
    }
    if (stabilized > maximumAllowed) {
      return new Normalized(
          maximumAllowed,
          maximumAllowed == spec.maxReplicas() ? "TooManyReplicas" : "ScaleUpLimit");
    }
    return new Normalized(stabilized, reason);
  }

  private Normalized normalizeWithBehavior(
      double now, int current, int proposed, HpaSpec.Behavior behavior) {
    ScalingRules up = behavior.scaleUp();
    ScalingRules down = behavior.scaleDown();
    // The lowest recommendation within the up window bounds a scale-up; the highest within the down
    // window bounds a scale-down: the count moves only as far as every recent recommendation
    // agrees.
    int upRecommendation = proposed;
    int downRecommendation = proposed;
    double upCutoff = now - up.stabilizationWindowSeconds();
    double downCutoff = now - down.stabilizationWindowSeconds();
    for (Sample r : recommendations) {
      if (r.time() > upCutoff) {
        upRecommendation = Math.min(upRecommendation, r.value());
      }
      if (r.time() > downCutoff) {
        downRecommendation = Math.max(downRecommendation, r.value());
      }
    }
    recommendations.removeIf(r -> r.time() < upCutoff && r.time() < downCutoff);
    recommendations.add(new Sample(now, proposed));
    int stabilized = current;
    if (stabilized < upRecommendation) {
      stabilized = upRecommendation;
    }
    if (stabilized > downRecommendation) {
      stabilized = downRecommendation;
    }
    String reason =
        stabilized != proposed
            ? (proposed > current ? "ScaleUpStabilized" : "ScaleDownStabilized")
            : "ReadyForNewScale";

    if (stabilized > current) {
      int limit = Math.max(scaleUpLimit(now, current, up), current);
      int maximumAllowed = Math.min(spec.maxReplicas(), limit);
      if (stabilized > maximumAllowed) {
        return new Normalized(
            maximumAllowed,
            maximumAllowed == spec.maxReplicas() ? "TooManyReplicas" : "ScaleUpLimit");
      }
      return new Normalized(stabilized, reason);
    } else if (stabilized < current) {
      int limit = Math.min(scaleDownLimit(now, current, down), current);
      int minimumAllowed = Math.max(spec.minReplicas(), limit);
      if (stabilized < minimumAllowed) {
        return new Normalized(
            minimumAllowed,
            minimumAllowed == spec.minReplicas() ? "TooFewReplicas" : "ScaleDownLimit");
      }
      return new Normalized(stabilized, reason);
    }
    return new Normalized(current, reason);
  }

  private int scaleUpLimit(double now, int current, ScalingRules rules) {
    if (rules.selectPolicy() == ScalingRules.SelectPolicy.DISABLED) {
      return current;
    }
    boolean pickMax = rules.selectPolicy() == ScalingRules.SelectPolicy.MAX;
    int result = pickMax ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (ScalingPolicy policy : rules.policies()) {
      int periodStart = periodStartReplicas(now, current, policy.periodSeconds());
      int proposed =
          policy.type() == ScalingPolicy.Type.PODS
              ? periodStart + policy.value()
              : (int) Math.ceil(periodStart * (1 + policy.value() / 100.0));
      result = pickMax ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  private int scaleDownLimit(double now, int current, ScalingRules rules) {
    if (rules.selectPolicy() == ScalingRules.SelectPolicy.DISABLED) {
      return current;
    }
    // For scale-down the biggest change is the lowest count: Max selects the minimum of the
    // proposals.
    boolean biggestChange = rules.selectPolicy() == ScalingRules.SelectPolicy.MAX;
    int result = biggestChange ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (ScalingPolicy policy : rules.policies()) {
      int periodStart = periodStartReplicas(now, current, policy.periodSeconds());
      int proposed =
          policy.type() == ScalingPolicy.Type.PODS
              ? periodStart - policy.value()
              : (int) (periodStart * (1 - policy.value() / 100.0));
      result = biggestChange ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /**
   * The replica count at the start of the policy's period: current, minus additions, plus removals
   * within it.
   */
  private int periodStartReplicas(double now, int current, int periodSeconds) {
    int added = 0;
    int removed = 0;
    for (Sample e : scaleUpEvents) {
      if (e.time() > now - periodSeconds) {
        added += e.value();
      }
    }
    for (Sample e : scaleDownEvents) {
      if (e.time() > now - periodSeconds) {
        removed += e.value();
      }
    }
    return current - added + removed;
  }

  private void recordScaleEvent(double now, int from, int to) {
    double keep =
        spec.behavior()
            .map(
                b ->
                    (double)
                        Math.max(
                            b.scaleUp().longestPeriodSeconds(),
                            b.scaleDown().longestPeriodSeconds()))
            .orElse(0.0);
    scaleUpEvents.removeIf(e -> e.time() <= now - keep);
    scaleDownEvents.removeIf(e -> e.time() <= now - keep);
    if (spec.behavior().isEmpty()) {
      return;
    }
    if (to > from) {
      scaleUpEvents.add(new Sample(now, to - from));
    } else {
      scaleDownEvents.add(new Sample(now, from - to));
    }
  }
}
