package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.profile.RateProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulator with memory, request-rate and KEDA metrics. */
class SimulatorMetricsTest {
  private static final ManifestReader.Manifest SEED =
      ManifestReader.read(Path.of("src", "test", "resources", "seed-hpa.yaml"), Optional.empty());

  private static Simulator.Builder seed(HpaSpec hpa, String profile, double memoryPerPodMi) {
    return Simulator.builder()
        .hpa(hpa)
        .workload(SEED.workload().orElseThrow())
        .cpuPerRequestSeconds(0.010)
        .memoryPerPodBytes(memoryPerPodMi * (1 << 20))
        .rate(ProfileRates.of(RateProfile.parse(profile)))
        .tailSeconds(1800);
  }

  private static SimulationResult.Step last(SimulationResult r) {
    return r.steps().get(r.steps().size() - 1);
  }

  /**
   * The seed's CPU + memory HPA: a JVM-like pod holding 110Mi of its 128Mi request (85 %, inside
   * the tolerance of the 80 % target) keeps every pod CPU added: memory proposes the current count
   * for ever, and the controller takes the larger proposal.
   */
  @Test
  void aMemoryUtilizationTargetKeepsThePodsCpuAdded() {
    SimulationResult r = seed(SEED.hpa(), "hold:30/5m", 110).build().run();
    assertThat(r.peakReplicas()).isGreaterThan(2);
    assertThat(last(r).replicas()).isEqualTo(r.peakReplicas());
    assertThat(r.backToMinSeconds()).isNull();
    assertThat(last(r).metric()).isEqualTo("memory");
    assertThat(last(r).proposals())
        .extracting(HpaController.MetricProposal::metric, HpaController.MetricProposal::replicas)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cpu", 0),
            org.assertj.core.groups.Tuple.tuple("memory", r.peakReplicas()));
    // the same HPA without its memory metric returns to min within the tail
    HpaSpec cpuOnly = SEED.hpa().withMetrics(List.of(MetricSpec.cpuUtilization(70)));
    SimulationResult control = seed(cpuOnly, "hold:30/5m", 110).build().run();
    assertThat(control.peakReplicas()).isEqualTo(r.peakReplicas());
    assertThat(last(control).replicas()).isEqualTo(2);
  }

  /** Above 88 % of the request (ratio > 1.1) memory scales up to max, load or no load. */
  @Test
  void aPodOverTheMemoryTargetScalesToMaxWithoutLoad() {
    SimulationResult r = seed(SEED.hpa(), "pause:1m", 115).build().run();
    assertThat(last(r).replicas()).isEqualTo(10);
    assertThat(r.steps())
        .filteredOn(s -> s.replicas() > 2)
        .allSatisfy(s -> assertThat(s.metric()).isEqualTo("memory"));
  }

  @Test
  void refusesAMemoryMetricWithoutTheMemoryPerPod() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> seed(SEED.hpa(), "pause:1m", 0).build())
        .hasMessage("the HPA scales on memory: give the memory one pod uses (--memory-per-pod)");
  }

  /**
   * A ScaledObject with minReplicaCount 0: KEDA scales to zero while idle, activates when the query
   * exceeds the activation threshold, the HPA scales 1 → N on the threshold, and KEDA returns to
   * zero a cooldown after the last active poll.
   */
  @Test
  void kedaScalesToZeroAndBack() {
    HpaSpec hpa =
        ManifestReader.parse(
                """
                kind: ScaledObject
                metadata: {name: api}
                spec:
                  scaleTargetRef: {name: api}
                  pollingInterval: 15
                  cooldownPeriod: 60
                  maxReplicaCount: 5
                  triggers:
                  - type: prometheus
                    metadata: {serverAddress: http://p:9090, query: q, threshold: "10", activationThreshold: "2"}
                """,
                "so.yaml",
                Optional.empty())
            .hpa();
    SimulationResult r =
        Simulator.builder()
            .hpa(hpa)
            .workload(new Workload(250, 256L << 20, 0))
            .rate(ProfileRates.of(RateProfile.parse("pause:1m,hold:30/4m")))
            .tailSeconds(300)
            .build()
            .run();
    List<String> keda =
        r.steps().stream()
            .filter(s -> s.metric().equals("keda"))
            .map(s -> (int) s.t() + ":" + s.reason() + "->" + s.replicas())
            .toList();
    // idle at t=0 (never active) → 0; first poll with a full window over 2 req/s → 1; load ends at
    // 300 s, the window drains by 315 s, cooldown 60 s after the last active poll (300 s)
    assertThat(keda)
        .containsExactly(
            "0:KEDAScaleTargetDeactivated->0",
            "75:KEDAScaleTargetActivated->1",
            "360:KEDAScaleTargetDeactivated->0");
    assertThat(r.peakReplicas()).isEqualTo(3); // 30 req/s / 10 per pod
    assertThat(r.steps())
        .filteredOn(s -> s.t() > 0 && s.t() < 75)
        .allSatisfy(s -> assertThat(s.replicas()).isZero());
  }

  /** A Pods metric reads each ready pod's served rate; a starting pod serves nothing. */
  @Test
  void aRequestsPerSecondMetricSettlesAtRateOverTarget() {
    HpaSpec hpa = HpaSpec.of(1, 10, 50).withMetrics(List.of(MetricSpec.pods("rps", 50_000)));
    SimulationResult r =
        Simulator.builder()
            .hpa(hpa)
            .workload(new Workload(0, 0, 0))
            .rate(ProfileRates.of(RateProfile.parse("hold:200/10m")))
            .tailSeconds(0)
            .build()
            .run();
    assertThat(last(r).replicas()).isEqualTo(4);
    assertThat(last(r).proposals())
        .containsExactly(new HpaController.MetricProposal("pods/rps", 4, 50_000, ""));
  }
}
