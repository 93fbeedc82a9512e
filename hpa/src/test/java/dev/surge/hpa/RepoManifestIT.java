package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner and simulator on the repository's real HPA: k8s/base rendered by the real {@code
 * kubectl kustomize} (an integration test: it needs kubectl from {@code ./bin/install-test-tools}).
 */
class RepoManifestIT {
  private static final Path BASE = Path.of("..", "k8s", "base");

  private static ManifestReader.Manifest manifest() {
    assertThat(BASE.resolve("kustomization.yaml")).as("run from the hpa module").exists();
    dev.surge.testkit.Tools.require("kubectl", "kubectl");
    return ManifestReader.read(BASE, Optional.empty());
  }

  @Test
  void readsTheHpaAndTheDeploymentsCpuRequestFromTheRenderedBase() {
    ManifestReader.Manifest m = manifest();
    assertThat(m.hpa().name()).isEqualTo("surge"); // docs/CONTRACT.md
    assertThat(m.hpa().targetName()).isEqualTo("surge");
    assertThat(m.hpa().namespace()).isEqualTo("surge");
    assertThat(m.workload()).isPresent();
    assertThat(m.workload().get().cpuRequestMillicores()).isPositive();
    assertThat(m.hpa().behavior()).isPresent();
  }

  @Test
  void plansTheRateForFiveReplicasByHand() {
    ManifestReader.Manifest m = manifest();
    HpaSpec hpa = m.hpa();
    Workload w = m.workload().orElseThrow();
    Planner.Plan p = new Planner(hpa, w, 0.020, 0, 20).plan(5);
    // request × target / CPU per request, from the manifest's own figures
    double perPod = w.cpuRequestMillicores() * hpa.targetUtilizationPercent() / 100.0 / 20.0;
    assertThat(p.perPodRate()).isEqualTo(perPod);
    assertThat(p.rateForReplicas()).isEqualTo(5 * perPod);
    assertThat(p.settleLow()).isLessThan(p.settleHigh());
    assertThat(p.profileRate()).isBetween(p.settleLow(), p.settleHigh());
    assertThat(p.simulated().peakReplicas()).isEqualTo(5);
    int downWindow = hpa.behavior().get().scaleDown().stabilizationWindowSeconds();
    assertThat(p.profile())
        .endsWith(",pause:" + dev.surge.common.Durations.format(downWindow + 120));
    assertThat(p.rateForMax()).isGreaterThan(p.settleHigh());
  }

  @Test
  void simulatesAScaleOutAndBackToMinWithTheRealBehavior() {
    ManifestReader.Manifest m = manifest();
    SimulationResult r =
        Simulator.builder()
            .hpa(m.hpa())
            .workload(m.workload().orElseThrow())
            .cpuPerRequestSeconds(0.020)
            .rate(ProfileRates.of(dev.surge.common.profile.RateProfile.parse("hold:200/10m")))
            .build()
            .run();
    assertThat(r.peakReplicas()).isEqualTo(m.hpa().maxReplicas());
    assertThat(r.backToMinSeconds()).isNotNull();
    List<Integer> counts =
        r.steps().stream().map(SimulationResult.Step::replicas).distinct().toList();
    assertThat(counts.get(0)).isEqualTo(m.hpa().minReplicas());
  }
}
