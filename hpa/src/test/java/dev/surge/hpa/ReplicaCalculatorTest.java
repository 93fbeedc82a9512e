package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaCalculatorTest {
  private final ReplicaCalculator calc = ReplicaCalculator.defaults();
  private static final double NOW = 0;

  private static List<PodState> ready(long request, long... usage) {
    List<PodState> pods = new ArrayList<>();
    for (int i = 0; i < usage.length; i++) {
      pods.add(PodState.readyWithUsage("p" + i, request, usage[i]));
    }
    return pods;
  }

  /**
   * Running, past the initialization period, Ready=False since long after start (it was ready
   * once).
   */
  private static PodState unreadyWithUsage(String name, long request, long usage) {
    return new PodState(
        name,
        PodState.Phase.RUNNING,
        false,
        -3600,
        Optional.of(false),
        -1800,
        request,
        Optional.of(new PodState.Metric(usage, NOW, 15)));
  }

  /** Running, never became ready (its condition last changed right at start), with a sample. */
  private static PodState neverReady(String name, long request, long usage) {
    return new PodState(
        name,
        PodState.Phase.RUNNING,
        false,
        -3600,
        Optional.of(false),
        -3600,
        request,
        Optional.of(new PodState.Metric(usage, NOW, 15)));
  }

  private static PodState missing(String name, long request) {
    return new PodState(
        name,
        PodState.Phase.RUNNING,
        false,
        -3600,
        Optional.of(true),
        -3570,
        request,
        Optional.empty());
  }

  @Test
  void scalesUpByTheUtilizationRatio() throws Exception {
    // 1500m used of 3000m requested = 50 %; target 30 → ratio 1.67 → ceil(5.0) = 5
    ReplicaCalculator.Result r = calc.cpuReplicas(3, 30, ready(1000, 300, 500, 700), NOW);
    assertThat(r.replicas()).isEqualTo(5);
    assertThat(r.utilizationPercent()).isEqualTo(50);
  }

  @Test
  void scalesDownByTheUtilizationRatio() throws Exception {
    // 1400m of 5000m = 28 %; target 50 → ratio 0.56 → ceil(2.8) = 3
    ReplicaCalculator.Result r = calc.cpuReplicas(5, 50, ready(1000, 100, 300, 500, 250, 250), NOW);
    assertThat(r.replicas()).isEqualTo(3);
    assertThat(r.utilizationPercent()).isEqualTo(28);
  }

  @Test
  void keepsTheCountInsideTheToleranceBand() throws Exception {
    // 102 % against 100 %: |1 - 1.02| <= 0.1
    assertThat(calc.cpuReplicas(3, 100, ready(1000, 1010, 1030, 1020), NOW).replicas())
        .isEqualTo(3);
    // the band's edges in float64 as Tolerances.isWithin compares them (Kubernetes 1.33+):
    // 1 - 0.1 <= 0.9 and 1.1 <= 1 + 0.1 are both true, so exactly 90 % and 110 % stay; 111 % scales
    assertThat(
            calc.cpuReplicas(
                    10, 100, ready(1000, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900), NOW)
                .replicas())
        .isEqualTo(10);
    assertThat(calc.cpuReplicas(3, 100, ready(1000, 1100, 1100, 1100), NOW).replicas())
        .isEqualTo(3);
    assertThat(calc.cpuReplicas(3, 100, ready(1000, 1110, 1110, 1110), NOW).replicas())
        .isEqualTo(4);
    assertThat(calc.cpuReplicas(3, 100, ready(1000, 1090, 1090, 1090), NOW).replicas())
        .isEqualTo(3);
  }

  @Test
  void truncatesUtilizationToAWholePercent() throws Exception {
    // 899m of 1000m is 89.9 % → 89 %: ratio 0.89 leaves the band (0.899 would not) → ceil(0.89 × 1)
    // = 1 still
    ReplicaCalculator.Result r = calc.cpuReplicas(1, 100, ready(1000, 899), NOW);
    assertThat(r.utilizationPercent()).isEqualTo(89);
    // 10 pods at 89.9 %: truncated to 89 → ceil(8.9) = 9 (with 89.9 it would stay at 10 inside the
    // band)
    assertThat(
            calc.cpuReplicas(
                    10, 100, ready(1000, 899, 899, 899, 899, 899, 899, 899, 899, 899, 899), NOW)
                .replicas())
        .isEqualTo(9);
  }

  @Test
  void countsUnreadyPodsAsIdleOnScaleUp() throws Exception {
    List<PodState> pods = new ArrayList<>();
    pods.add(neverReady("p0", 1000, 300));
    pods.addAll(ready(1000, 500, 700).stream().map(p -> rename(p, "r" + p.name())).toList());
    // ready samples: 1200/2000 = 60 % → ratio 2 → with the unready pod at 0: 1200/3000 = 40 % →
    // ceil(1.33 × 3) = 4
    ReplicaCalculator.Result r = calc.cpuReplicas(3, 30, pods, NOW);
    assertThat(r.replicas()).isEqualTo(4);
    assertThat(r.utilizationPercent()).isEqualTo(60);
    assertThat(r.unreadyPods()).isEqualTo(1);
  }

  @Test
  void ignoresUnreadyPodsOnScaleDown() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 100, 300, 500));
    pods.add(neverReady("u1", 1000, 250));
    pods.add(neverReady("u2", 1000, 250));
    // only the ready samples count: 900/3000 = 30 % → ratio 0.6 → ceil(1.8) = 2
    ReplicaCalculator.Result r = calc.cpuReplicas(5, 50, pods, NOW);
    assertThat(r.replicas()).isEqualTo(2);
    assertThat(r.utilizationPercent()).isEqualTo(30);
  }

  @Test
  void countsAPodThatWasReadyOnceAfterTheInitializationPeriod() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 500, 500));
    pods.add(unreadyWithUsage("u", 1000, 1400));
    // the sample counts: 2400/3000 = 80 %; target 50 → ceil(1.6 × 3) = 5
    assertThat(calc.cpuReplicas(3, 50, pods, NOW).replicas()).isEqualTo(5);
  }

  @Test
  void ignoresASampleTakenBeforeAFreshPodWasReadyForAWholeWindow() throws Exception {
    // started 60 s ago, ready 10 s ago: the 15 s window still covers start-up → unready, ignored on
    // scale-down
    PodState fresh =
        new PodState(
            "fresh",
            PodState.Phase.RUNNING,
            false,
            NOW - 60,
            Optional.of(true),
            NOW - 10,
            1000,
            Optional.of(new PodState.Metric(900, NOW, 15)));
    // ready 20 s ago: the window is all post-ready → counted
    PodState settled =
        new PodState(
            "settled",
            PodState.Phase.RUNNING,
            false,
            NOW - 60,
            Optional.of(true),
            NOW - 20,
            1000,
            Optional.of(new PodState.Metric(900, NOW, 15)));
    List<PodState> base = ready(1000, 100, 100);
    List<PodState> withFresh = new ArrayList<>(base);
    withFresh.add(fresh);
    List<PodState> withSettled = new ArrayList<>(base);
    withSettled.add(settled);
    ReplicaCalculator.Result a = calc.cpuReplicas(3, 50, withFresh, NOW);
    ReplicaCalculator.Result b = calc.cpuReplicas(3, 50, withSettled, NOW);
    assertThat(a.unreadyPods()).isEqualTo(1);
    assertThat(a.utilizationPercent()).isEqualTo(10); // 200/2000
    assertThat(a.replicas()).isEqualTo(1); // ceil(0.2 × 2)
    assertThat(b.unreadyPods()).isZero();
    assertThat(b.utilizationPercent()).isEqualTo(36); // 1100/3000
    assertThat(b.replicas()).isEqualTo(3); // ceil(0.72 × 3) = 3
  }

  @Test
  void treatsPendingPodsAsUnreadyAndIgnoresDeletingAndFailedOnes() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 800, 800));
    pods.add(
        new PodState(
            "pending",
            PodState.Phase.PENDING,
            false,
            Double.NaN,
            Optional.empty(),
            0,
            1000,
            Optional.empty()));
    pods.add(
        new PodState(
            "gone",
            PodState.Phase.RUNNING,
            true,
            -3600,
            Optional.of(true),
            -3570,
            1000,
            Optional.of(new PodState.Metric(5000, NOW, 15))));
    pods.add(
        new PodState(
            "failed",
            PodState.Phase.FAILED,
            false,
            -3600,
            Optional.of(false),
            -3570,
            1000,
            Optional.of(new PodState.Metric(5000, NOW, 15))));
    // 1600/2000 = 80 %, target 50 → ratio 1.6 with a pending pod → it counts as 0: 1600/3000 = 53 %
    // → 1.06 in band
    ReplicaCalculator.Result r = calc.cpuReplicas(5, 50, pods, NOW);
    assertThat(r.replicas()).isEqualTo(5);
    assertThat(r.ignoredPods()).isEqualTo(2);
    assertThat(r.unreadyPods()).isEqualTo(1);
  }

  @Test
  void countsMissingPodsAsIdleOnScaleUp() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 1000, 1160));
    pods.add(missing("m1", 1000));
    pods.add(missing("m2", 1000));
    // samples 2160/2000 = 108 %, target 50 → 2.16 (alone: 5 pods); with the missing at 0: 54 % →
    // 1.08 in band → 4
    ReplicaCalculator.Result r = calc.cpuReplicas(4, 50, pods, NOW);
    assertThat(r.replicas()).isEqualTo(4);
    assertThat(r.missingPods()).isEqualTo(2);
  }

  @Test
  void countsMissingPodsAtFullRequestOnScaleDown() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 100, 100, 100, 100, 100));
    pods.add(missing("m", 1000));
    // samples 10 %; the missing pod at max(100 %, 50 %): 1500/6000 = 25 % → ratio 0.5 → ceil(3.0) =
    // 3
    assertThat(calc.cpuReplicas(6, 50, pods, NOW).replicas()).isEqualTo(3);
  }

  @Test
  void countsMissingPodsAtTheTargetWhenItIsAbove100Percent() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 300, 300, 300));
    pods.add(missing("m", 1000));
    // samples 30 %, target 150 → ratio 0.2; missing at 150 %: 2400/4000 = 60 % → 0.4 → ceil(1.6) =
    // 2
    assertThat(calc.cpuReplicas(4, 150, pods, NOW).replicas()).isEqualTo(2);
  }

  @Test
  void keepsTheCountWhenMissingPodsWouldFlipTheDirection() throws Exception {
    List<PodState> pods = new ArrayList<>(ready(1000, 100, 100));
    pods.add(missing("m1", 1000));
    pods.add(missing("m2", 1000));
    // samples 10 % → scale-down; with the missing at 100 %: 2200/4000 = 55 % → ratio 1.1 → would be
    // up: keep 4
    assertThat(calc.cpuReplicas(4, 50, pods, NOW).replicas()).isEqualTo(4);
  }

  @Test
  void failsWithoutAnyUsableSample() {
    List<PodState> pods = List.of(missing("m1", 1000), neverReady("u", 1000, 500));
    assertThatThrownBy(() -> calc.cpuReplicas(2, 50, pods, NOW))
        .isInstanceOf(ReplicaCalculator.NoMetricsException.class)
        .hasMessageContaining("did not receive metrics");
  }

  private static PodState rename(PodState p, String name) {
    return new PodState(
        name,
        p.phase(),
        p.deleting(),
        p.startTime(),
        p.ready(),
        p.readyTransitionTime(),
        p.requestMillicores(),
        p.metric());
  }
}
