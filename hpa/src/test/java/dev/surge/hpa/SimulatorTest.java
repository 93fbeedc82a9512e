package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.surge.common.profile.RateProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  // 250m request, target 50 %: one pod holds 125m = 6.25 req/s at 20 ms each
  private static final Workload WORKLOAD = new Workload(250, 256L << 20, 0);
  private static final HpaSpec HPA = HpaSpec.of(1, 10, 50);

  private static Simulator.Builder sim(HpaSpec hpa, String profile) {
    return Simulator.builder()
        .hpa(hpa)
        .workload(WORKLOAD)
        .cpuPerRequestSeconds(0.020)
        .rate(ProfileRates.of(RateProfile.parse(profile)))
        .startupSeconds(20)
        .tailSeconds(600);
  }

  @Test
  void neverScalesBelowTheTargetAndBillsMinReplicasForTheWholeRun() {
    SimulationResult r = sim(HPA, "hold:5/10m").tailSeconds(0).build().run();
    assertThat(r.firstScaleUpSeconds()).isNull();
    assertThat(r.peakReplicas()).isEqualTo(1);
    assertThat(r.replicaSeconds()).isEqualTo(600);
    assertThat(r.steps()).allSatisfy(s -> assertThat(s.replicas()).isEqualTo(1));
  }

  @Test
  void reachesTheReplicasThatHoldTheRateAtTarget() {
    // 25 req/s × 20 ms = 500m = 4 pods × 125m
    SimulationResult r = sim(HPA, "hold:25/10m").build().run();
    assertThat(r.peakReplicas()).isEqualTo(4);
    assertThat(r.firstScaleUpSeconds()).isEqualTo(15.0); // first sync with a full window of load
    SimulationResult.Step last =
        r.steps().stream().filter(s -> s.t() == 585).findFirst().orElseThrow();
    assertThat(last.replicas()).isEqualTo(4);
    assertThat(last.utilizationPercent()).isEqualTo(50);
  }

  @Test
  void scalesBackToMinOnlyAfterTheDownscaleStabilizationWindow() {
    SimulationResult r = sim(HPA, "hold:25/5m").build().run();
    assertThat(r.backToMinSeconds()).isNotNull();
    // load stops at 300 s; no scale-down may happen within 300 s of the last high recommendation
    assertThat(r.backToMinSeconds()).isGreaterThanOrEqualTo(300 + 300);
    assertThat(r.backToMinSeconds()).isLessThanOrEqualTo(300 + 300 + 30);
  }

  @Test
  void newPodsServeOnlyAfterStartUp() {
    SimulationResult slow = sim(HPA, "hold:25/10m").startupSeconds(90).build().run();
    SimulationResult.Step afterScaleUp =
        slow.steps().stream().filter(s -> s.t() == 30).findFirst().orElseThrow();
    assertThat(afterScaleUp.replicas()).isGreaterThan(1);
    assertThat(afterScaleUp.readyReplicas()).isEqualTo(1);
  }

  @Test
  void startUpCpuOfNewPodsDoesNotTriggerMoreScaling() {
    // a starting pod burning 1 core would read as 400 % were its samples not ignored during
    // initialization
    SimulationResult r =
        sim(HPA, "hold:25/10m").startupSeconds(60).startupCpuMillicores(1000).build().run();
    assertThat(r.peakReplicas()).isEqualTo(4);
  }

  @Test
  void respectsMaxReplicasUnderOverload() {
    SimulationResult r = sim(HpaSpec.of(2, 3, 50), "hold:100/5m").build().run();
    assertThat(r.peakReplicas()).isEqualTo(3);
    assertThat(r.steps()).allSatisfy(s -> assertThat(s.replicas()).isBetween(2, 3));
  }

  @Test
  void countsCpuLimitThrottlingAsShortOfCpu() {
    SimulationResult r =
        Simulator.builder()
            .hpa(HpaSpec.of(1, 1, 50))
            .workload(new Workload(250, 0, 500))
            .cpuPerRequestSeconds(0.020)
            .rate(RateFunction.constant(50, 60))
            .tailSeconds(0)
            .build()
            .run();
    assertThat(r.unservedSeconds()).isEqualTo(60);
  }

  @Test
  void pricesTheRequestsOfEveryPodSecond() {
    SimulationResult r =
        sim(HPA, "hold:5/1h")
            .tailSeconds(0)
            .pricePerVcpuHour(0.04)
            .pricePerGibHour(0.004)
            .build()
            .run();
    // 1 pod for 1 h: 0.25 vCPU × 0.04 + 0.25 GiB × 0.004
    assertThat(r.cost()).isCloseTo(0.25 * 0.04 + 0.25 * 0.004, within(1e-9));
  }

  @Test
  void behaviorPoliciesSlowTheScaleUp() {
    ScalingRules onePodPerMinute =
        new ScalingRules(0, ScalingRules.SelectPolicy.MAX, List.of(ScalingPolicy.pods(1, 60)));
    SimulationResult r =
        sim(HPA.withBehavior(onePodPerMinute, ScalingRules.defaultScaleDown()), "hold:25/10m")
            .build()
            .run();
    assertThat(r.peakReplicas()).isEqualTo(4);
    // three steps of one pod, a minute apart
    assertThat(r.plateauSeconds() - r.firstScaleUpSeconds()).isEqualTo(120.0);
  }
}
