package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PlannerTest {
  // 1000m request, target 50 %, 100 ms CPU per request: a pod at target serves 500m / 100ms = 5
  // req/s.
  private static final HpaSpec HPA = HpaSpec.of(1, 3, 50);
  private static final Workload WORKLOAD = new Workload(1000, 0, 0);

  private final Planner planner = new Planner(HPA, WORKLOAD, 0.100, 0, 20);

  @Test
  void perPodRateIsTheRequestAtTargetOverTheCpuPerRequest() {
    assertThat(planner.perPodRate()).isEqualTo(5.0);
    assertThat(new Planner(HPA, WORKLOAD, 0.100, 100, 20).perPodRate())
        .isEqualTo(4.0); // (500 - 100) / 100
  }

  @Test
  void findsTheRatesThatSettleAtTwoReplicasByHand() {
    Planner.Plan p = planner.plan(2);
    assertThat(p.rateForReplicas()).isEqualTo(10.0); // 2 × 5 req/s
    // From 1 pod: utilization 10 % per req/s, truncated. 5.5 req/s → 55 % → ratio 1.1, inside the
    // band (1.1 <= 1 + 0.1 in float64, Tolerances.isWithin); 5.6 → 56 % → 1.12 → ceil(1.12) = 2.
    assertThat(p.settleLow()).isCloseTo(5.6, within(Planner.RESOLUTION + 1e-9));
    // From 1 pod, 10.1 req/s (101 % → ratio 2.02) already proposes 3, but 3 pods then read 33 % →
    // ceil(3 × 0.66) = 2
    // and the count comes back after the stabilization window. It stays at 3 only once 3 pods read
    // 34 %: each pod's
    // sample (millicores, rounded) must reach 340m, i.e. 100 r / 3 >= 339.5 → r >= 10.185.
    assertThat(p.settleHigh()).isCloseTo(10.185, within(Planner.RESOLUTION + 1e-9));
    assertThat(p.rateForMax()).isEqualTo(p.settleHigh()); // max is 3
  }

  @Test
  void theProfileHoldsTheMiddleOfTheBandLongEnoughAndWaitsForTheScaleIn() {
    Planner.Plan p = planner.plan(2);
    assertThat(p.profileRate()).isCloseTo((5.6 + 10.185) / 2, within(0.02));
    String r = Planner.number(p.profileRate());
    // hold ≥ 3 min; the pause covers the legacy 300 s stabilization plus 2 min
    assertThat(p.profile())
        .isEqualTo("ramp:0->" + r + "/2m,hold:" + r + "/3m,ramp:" + r + "->0/1m,pause:7m");
    assertThat(p.simulated().peakReplicas()).isEqualTo(2);
    assertThat(p.simulated().backToMinSeconds()).isNotNull();
  }

  @Test
  void theProfileWaitsForABehaviorsScaleDownWindow() {
    HpaSpec withBehavior =
        HPA.withBehavior(
            ScalingRules.defaultScaleUp(),
            new ScalingRules(
                60,
                ScalingRules.SelectPolicy.MAX,
                java.util.List.of(ScalingPolicy.percent(100, 15))));
    Planner.Plan p = new Planner(withBehavior, WORKLOAD, 0.100, 0, 20).plan(3);
    assertThat(p.profile()).endsWith(",pause:3m"); // 60 s + 2 min
    assertThat(p.simulated().peakReplicas()).isEqualTo(3);
  }

  @Test
  void settledReplicasGrowWithTheRate() {
    int previous = 0;
    for (double rate = 0; rate <= 20; rate += 0.5) {
      int n = planner.settledReplicas(rate);
      assertThat(n).as("at %.1f req/s", rate).isGreaterThanOrEqualTo(previous).isBetween(1, 3);
      previous = n;
    }
    assertThat(previous).isEqualTo(3);
  }
}
