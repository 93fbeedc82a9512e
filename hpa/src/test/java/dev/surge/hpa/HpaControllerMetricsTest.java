package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Several metrics, invalid metrics, per-direction tolerances and the first-sight recommendation,
 * after {@code horizontal.go} ({@code computeReplicasForMetrics}, {@code reconcileAutoscaler}) and
 * the cases of {@code horizontal_test.go} named below.
 */
class HpaControllerMetricsTest {
  private static final MetricSpec RPS = MetricSpec.pods("rps", 10_000); // 10 req/s per pod
  private static final MetricSpec QUEUE =
      MetricSpec.external("queue", MetricSpec.TargetType.AVERAGE_VALUE, 5_000);

  /** n ready pods with CPU at {@code cpuPercent} of 1000m and {@code rps} each. */
  private static List<PodState> pods(int n, long cpuPercent) {
    List<PodState> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(PodState.readyWithUsage("p" + i, 1000, 10 * cpuPercent));
    }
    return pods;
  }

  /** CPU from the pods, {@code rps} per pod for Pods metrics, {@code external} (or none). */
  private static MetricReadings readings(double rps, Map<String, Long> external) {
    return new MetricReadings() {
      @Override
      public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
        if (metric.isCpu()) {
          return pod.metric();
        }
        return metric.source() == MetricSpec.Source.PODS
            ? Optional.of(new PodState.Metric(Math.round(rps * 1000), 0, 15))
            : Optional.empty();
      }

      @Override
      public long podRequest(MetricSpec metric, PodState pod) {
        return pod.requestMillicores();
      }

      @Override
      public OptionalLong objectValue(MetricSpec metric) {
        return OptionalLong.empty();
      }

      @Override
      public OptionalLong externalValue(MetricSpec metric) {
        Long v = external.get(metric.name());
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
      }
    };
  }

  private static HpaSpec hpa(List<MetricSpec> metrics) {
    return HpaSpec.of(1, 20, 50).withMetrics(metrics);
  }

  @Test
  void takesTheLargestProposalAndNamesTheMetricThatGaveIt() {
    HpaController c =
        new HpaController(
            hpa(List.of(MetricSpec.cpuUtilization(50), RPS)), ReplicaCalculator.defaults());
    // 4 pods: CPU 75 % of 50 % → 6; 20 req/s per pod of 10 → 8
    HpaController.Decision d = c.reconcile(0, 4, pods(4, 75), readings(20, Map.of()));
    assertThat(d.proposed()).isEqualTo(8);
    assertThat(d.replicas()).isEqualTo(8);
    assertThat(d.metric()).isEqualTo("pods/rps");
    assertThat(d.utilizationPercent()).isEqualTo(75);
    assertThat(d.proposals())
        .containsExactly(
            new HpaController.MetricProposal("cpu", 6, 75, ""),
            new HpaController.MetricProposal("pods/rps", 8, 20_000, ""));
  }

  /**
   * horizontal_test.go TestScaleUpOneMetricInvalid: an invalid metric beside a valid one that
   * scales up still scales up.
   */
  @Test
  void scalesUpOnTheValidMetricsWhenOneIsInvalid() {
    HpaController c =
        new HpaController(
            hpa(List.of(MetricSpec.cpuUtilization(50), QUEUE)), ReplicaCalculator.defaults());
    HpaController.Decision d = c.reconcile(0, 4, pods(4, 75), readings(0, Map.of()));
    assertThat(d.replicas()).isEqualTo(6);
    assertThat(d.metric()).isEqualTo("cpu");
    assertThat(d.proposals().get(1).replicas()).isEqualTo(-1);
    assertThat(d.proposals().get(1).error()).contains("queue");
  }

  /**
   * computeReplicasForMetrics: "if all metrics are invalid or some are invalid and we would scale
   * down", nothing changes and no recommendation is recorded.
   */
  @Test
  void neverScalesDownWhileAMetricIsInvalid() {
    HpaController c =
        new HpaController(
            hpa(List.of(MetricSpec.cpuUtilization(50), QUEUE)), ReplicaCalculator.defaults());
    for (int t = 0; t <= 900; t += 15) {
      HpaController.Decision d = c.reconcile(t, 6, pods(6, 10), readings(0, Map.of()));
      assertThat(d.replicas()).as("t=%d", t).isEqualTo(6);
      assertThat(d.reason()).isEqualTo("FailedGetExternalMetric");
      assertThat(d.metric()).isEmpty();
      assertThat(d.proposed()).isEqualTo(2); // what CPU alone asks for
    }
    // the same HPA with the queue back scales down (after the legacy 300 s window)
    HpaController.Decision back = null;
    for (int t = 915; t <= 1300; t += 15) {
      back = c.reconcile(t, 6, pods(6, 10), readings(0, Map.of("queue", 0L)));
    }
    assertThat(back.replicas()).isEqualTo(2);
  }

  @Test
  void keepsTheCountWhenEveryMetricIsInvalid() {
    HpaController c = new HpaController(hpa(List.of(RPS, QUEUE)), ReplicaCalculator.defaults());
    HpaController.Decision d = c.reconcile(0, 3, List.of(), readings(0, Map.of()));
    assertThat(d.replicas()).isEqualTo(3);
    assertThat(d.proposed()).isEqualTo(-1);
    assertThat(d.reason()).isEqualTo("FailedGetPodsMetric");
  }

  /**
   * reconcileAutoscaler records the current count on first sight of an HPA: with a 60 s scale-up
   * window the first syncs hold, as a fresh HPA on a cluster does.
   */
  @Test
  void holdsTheFirstScaleUpForTheScaleUpWindow() {
    HpaSpec spec =
        HpaSpec.of(2, 10, 50)
            .withBehavior(
                new ScalingRules(
                    60,
                    ScalingRules.SelectPolicy.MAX,
                    List.of(ScalingPolicy.percent(100, 15), ScalingPolicy.pods(4, 15))),
                ScalingRules.defaultScaleDown());
    HpaController c = new HpaController(spec, ReplicaCalculator.defaults());
    for (int t = 0; t <= 45; t += 15) {
      HpaController.Decision d = c.reconcile(t, 2, pods(2, 100), readings(0, Map.of()));
      assertThat(d.proposed()).isEqualTo(4);
      assertThat(d.replicas()).as("t=%d", t).isEqualTo(2);
      assertThat(d.reason()).isEqualTo("ScaleUpStabilized");
    }
    // the first-sight sample (t=0, 2 replicas) is out of the window (newer than now - 60 s) at 60
    assertThat(c.reconcile(60, 2, pods(2, 100), readings(0, Map.of())).replicas()).isEqualTo(4);
  }

  /** behavior.scaleUp.tolerance / scaleDown.tolerance override the controller's 0.1 per side. */
  @Test
  void perDirectionTolerancesComeFromTheSpec() {
    HpaSpec loose = hpa(List.of(MetricSpec.cpuUtilization(100))).withTolerances(0.5, Double.NaN);
    // 4 pods at 60 %: outside 0.1 but inside a 0.5 scale-down tolerance
    HpaController c = new HpaController(loose, ReplicaCalculator.defaults());
    assertThat(c.reconcile(0, 4, pods(4, 60), readings(0, Map.of())).proposed()).isEqualTo(4);
    HpaController strict = new HpaController(loose, ReplicaCalculator.defaults());
    // scale-up side keeps the controller's 0.1: 115 % leaves the band
    assertThat(strict.reconcile(0, 4, pods(4, 115), readings(0, Map.of())).proposed()).isEqualTo(5);
    HpaSpec upOnly = hpa(List.of(MetricSpec.cpuUtilization(100))).withTolerances(Double.NaN, 0.02);
    HpaController up = new HpaController(upOnly, ReplicaCalculator.defaults());
    assertThat(up.reconcile(0, 4, pods(4, 105), readings(0, Map.of())).proposed()).isEqualTo(5);
  }
}
