package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpaControllerTest {
  private static final long REQUEST = 1000;

  /**
   * {@code n} ready pods all at {@code percent} of their request: with target 100 the metric
   * proposes about n×p/100.
   */
  private static List<PodState> podsAt(int n, long percent) {
    List<PodState> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(PodState.readyWithUsage("p" + i, REQUEST, REQUEST * percent / 100));
    }
    return pods;
  }

  /**
   * Pods whose utilization makes the metric propose exactly {@code desired} replicas out of {@code
   * n}.
   */
  private static List<PodState> proposing(int n, int desired) {
    return podsAt(n, 100L * desired / n);
  }

  private static HpaController controller(HpaSpec spec) {
    return new HpaController(spec, ReplicaCalculator.defaults());
  }

  @Test
  void withoutBehaviorCapsScaleUpAtDoubleOrFour() {
    HpaController c = controller(HpaSpec.of(1, 100, 100));
    assertThat(c.reconcile(0, 1, podsAt(1, 1000)).replicas()).isEqualTo(4); // max(2×1, 4)
    assertThat(c.reconcile(15, 4, podsAt(4, 1000)).replicas()).isEqualTo(8); // max(2×4, 4)
    HpaController.Decision d = c.reconcile(30, 8, podsAt(8, 1000));
    assertThat(d.replicas()).isEqualTo(16);
    assertThat(d.reason()).isEqualTo("ScaleUpLimit");
  }

  @Test
  void withoutBehaviorHoldsTheHighestRecommendationOfFiveMinutes() {
    HpaController c = controller(HpaSpec.of(1, 10, 100));
    assertThat(c.reconcile(0, 6, podsAt(6, 100)).replicas()).isEqualTo(6);
    // load drops to a third: the metric proposes 2, but 6 was recommended within 300 s
    for (int t = 15; t <= 300; t += 15) {
      HpaController.Decision d = c.reconcile(t, 6, proposing(6, 2));
      assertThat(d.proposed()).isEqualTo(2);
      assertThat(d.replicas()).as("at t=%d", t).isEqualTo(6);
    }
    // 6 is now older than 300 s; only 2s remain in the window
    assertThat(c.reconcile(315, 6, proposing(6, 2)).replicas()).isEqualTo(2);
  }

  @Test
  void clampsToMinAndMaxReplicas() {
    HpaController c = controller(HpaSpec.of(2, 5, 100));
    HpaController.Decision up = c.reconcile(0, 4, podsAt(4, 1000));
    assertThat(up.replicas()).isEqualTo(5);
    assertThat(up.reason()).isEqualTo("TooManyReplicas");
    HpaController idle = controller(HpaSpec.of(2, 5, 100));
    // horizontal.go records the current count on first sight: the legacy 300 s window holds it
    HpaController.Decision first = idle.reconcile(0, 4, podsAt(4, 1));
    assertThat(first.replicas()).isEqualTo(4);
    assertThat(first.reason()).isEqualTo("ScaleDownStabilized");
    HpaController.Decision down = idle.reconcile(301, 4, podsAt(4, 1));
    assertThat(down.replicas()).isEqualTo(2);
    assertThat(down.reason()).isEqualTo("TooFewReplicas");
  }

  @Test
  void bringsACountOutsideMinMaxBackWithoutMetrics() {
    HpaController c = controller(HpaSpec.of(2, 5, 100));
    assertThat(c.reconcile(0, 9, List.of()).replicas()).isEqualTo(5);
    assertThat(c.reconcile(15, 1, List.of()).replicas()).isEqualTo(2);
    assertThat(c.reconcile(30, 0, List.of()).reason()).isEqualTo("ScalingDisabled");
  }

  @Test
  void keepsTheCountWhenMetricsAreMissing() {
    HpaController c = controller(HpaSpec.of(1, 10, 50));
    HpaController.Decision d = c.reconcile(0, 3, List.of());
    assertThat(d.replicas()).isEqualTo(3);
    assertThat(d.reason()).isEqualTo("FailedGetResourceMetric");
  }

  @Test
  void defaultBehaviorScalesUpByDoubleOrFourPodsEvery15Seconds() {
    HpaController c =
        controller(
            HpaSpec.of(1, 100, 100)
                .withBehavior(ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown()));
    assertThat(c.reconcile(0, 1, podsAt(1, 5000)).replicas()).isEqualTo(5); // max(1×2, 1+4)
    // within the same 15 s period nothing more: the period started at 1
    assertThat(c.reconcile(10, 5, podsAt(5, 5000)).replicas()).isEqualTo(5);
    assertThat(c.reconcile(15, 5, podsAt(5, 5000)).replicas()).isEqualTo(10); // max(5×2, 5+4)
  }

  @Test
  void scaleDownPoliciesLimitTheRateAsInTheDocumentedExample() {
    // docs: Pods 4/60s and Percent 10/60s, Max: at 80 replicas 8 go first (10 %), then 10 % of 72 →
    // 64.8 → 64
    ScalingRules down =
        new ScalingRules(
            0,
            ScalingRules.SelectPolicy.MAX,
            List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
    HpaController c =
        controller(HpaSpec.of(1, 100, 100).withBehavior(ScalingRules.defaultScaleUp(), down));
    assertThat(c.reconcile(0, 80, proposing(80, 10)).replicas()).isEqualTo(72);
    assertThat(c.reconcile(15, 72, proposing(72, 10)).replicas()).isEqualTo(72);
    assertThat(c.reconcile(45, 72, proposing(72, 10)).replicas()).isEqualTo(72);
    HpaController.Decision d = c.reconcile(60, 72, proposing(72, 10));
    assertThat(d.replicas()).isEqualTo(64);
    assertThat(d.reason()).isEqualTo("ScaleDownLimit");
    // below 40 replicas the Pods policy (4) removes more than 10 %
    HpaController small =
        controller(HpaSpec.of(1, 100, 100).withBehavior(ScalingRules.defaultScaleUp(), down));
    assertThat(small.reconcile(0, 20, proposing(20, 2)).replicas()).isEqualTo(16);
  }

  @Test
  void selectPolicyMinPicksTheSmallestChange() {
    // docs: Percent 10/60s plus Pods 5/60s with Min: never more than 5 pods a minute
    ScalingRules down =
        new ScalingRules(
            0,
            ScalingRules.SelectPolicy.MIN,
            List.of(ScalingPolicy.percent(10, 60), ScalingPolicy.pods(5, 60)));
    HpaController c =
        controller(HpaSpec.of(1, 200, 100).withBehavior(ScalingRules.defaultScaleUp(), down));
    assertThat(c.reconcile(0, 100, proposing(100, 10)).replicas())
        .isEqualTo(95); // min(100-10, 100-5) change
  }

  @Test
  void scaleUpPoliciesLimitTheRate() {
    // Pods 4/60s, Percent 10/60s, Max: from 10 at most max(14, 11) per minute
    ScalingRules up =
        new ScalingRules(
            0,
            ScalingRules.SelectPolicy.MAX,
            List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
    HpaController c =
        controller(HpaSpec.of(1, 100, 100).withBehavior(up, ScalingRules.defaultScaleDown()));
    assertThat(c.reconcile(0, 10, podsAt(10, 400)).replicas()).isEqualTo(14);
    assertThat(c.reconcile(30, 14, podsAt(14, 400)).replicas()).isEqualTo(14);
    assertThat(c.reconcile(60, 14, podsAt(14, 400)).replicas()).isEqualTo(18);
  }

  @Test
  void disabledScaleDownNeverRemovesPods() {
    ScalingRules down = new ScalingRules(0, ScalingRules.SelectPolicy.DISABLED, List.of());
    HpaController c =
        controller(HpaSpec.of(1, 10, 100).withBehavior(ScalingRules.defaultScaleUp(), down));
    for (int t = 0; t < 900; t += 15) {
      assertThat(c.reconcile(t, 8, proposing(8, 1)).replicas()).isEqualTo(8);
    }
  }

  @Test
  void disabledScaleUpNeverAddsPods() {
    ScalingRules up = new ScalingRules(0, ScalingRules.SelectPolicy.DISABLED, List.of());
    HpaController c =
        controller(HpaSpec.of(1, 10, 100).withBehavior(up, ScalingRules.defaultScaleDown()));
    assertThat(c.reconcile(0, 2, podsAt(2, 900)).replicas()).isEqualTo(2);
  }

  @Test
  void scaleDownStabilizationWindowUsesTheHighestRecentRecommendation() {
    ScalingRules down =
        new ScalingRules(
            60, ScalingRules.SelectPolicy.MAX, List.of(ScalingPolicy.percent(100, 15)));
    HpaController c =
        controller(HpaSpec.of(1, 10, 100).withBehavior(ScalingRules.defaultScaleUp(), down));
    assertThat(c.reconcile(0, 8, proposing(8, 8)).replicas()).isEqualTo(8);
    assertThat(c.reconcile(15, 8, proposing(8, 5)).replicas())
        .isEqualTo(8); // 8 at t=0 is in the window
    assertThat(c.reconcile(45, 8, proposing(8, 3)).replicas()).isEqualTo(8);
    HpaController.Decision d = c.reconcile(60, 8, proposing(8, 3));
    assertThat(d.replicas()).isEqualTo(5); // the window (0, 60] holds 5, 3, 3
    assertThat(d.reason()).isEqualTo("ScaleDownStabilized");
    assertThat(c.reconcile(75, 5, proposing(5, 3)).replicas()).isEqualTo(3);
  }

  @Test
  void scaleUpStabilizationWindowUsesTheLowestRecentRecommendation() {
    ScalingRules up =
        new ScalingRules(30, ScalingRules.SelectPolicy.MAX, List.of(ScalingPolicy.pods(10, 15)));
    HpaController c =
        controller(HpaSpec.of(1, 10, 100).withBehavior(up, ScalingRules.defaultScaleDown()));
    assertThat(c.reconcile(0, 2, proposing(2, 2)).replicas()).isEqualTo(2);
    // a spike proposes 6, but 2 was recommended within 30 s
    assertThat(c.reconcile(15, 2, proposing(2, 6)).replicas()).isEqualTo(2);
    assertThat(c.reconcile(30, 2, proposing(2, 6)).replicas())
        .isEqualTo(6); // window (0, 30] holds only 6s
  }
}
