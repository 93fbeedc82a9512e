package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.common.Quantities;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
            - name: app
              resources:
                requests: {cpu: 250m, memory: 256Mi}
                limits: {cpu: "1"}
            - name: sidecar
              resources:
                requests: {cpu: "0.05", memory: 32Mi}
                limits: {cpu: 100m}
      ---
      """;

  @Test
  void readsTheHpaWithBehaviorAndSumsTheContainersRequests() {
    String yaml =
        DEPLOYMENT
            + """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: shop}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 2
              maxReplicas: 12
              metrics:
              - type: Resource
                resource: {name: memory, target: {type: Utilization, averageUtilization: 90}}
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
              behavior:
                scaleDown:
                  selectPolicy: Min
                  policies:
                  - {type: Pods, value: 2, periodSeconds: 60}
                  - {type: Percent, value: 10, periodSeconds: 30}
            """;
    ManifestReader.Manifest m = ManifestReader.parse(yaml, "test.yaml", Optional.empty());
    assertThat(m.hpa().name()).isEqualTo("web");
    assertThat(m.hpa().namespace()).isEqualTo("shop");
    assertThat(m.hpa().minReplicas()).isEqualTo(2);
    assertThat(m.hpa().maxReplicas()).isEqualTo(12);
    assertThat(m.hpa().targetUtilizationPercent()).isEqualTo(60);
    HpaSpec.Behavior b = m.hpa().behavior().orElseThrow();
    assertThat(b.scaleUp()).isEqualTo(ScalingRules.defaultScaleUp());
    // absent window defaults to 300 s, given policies replace the default ones
    assertThat(b.scaleDown())
        .isEqualTo(
            new ScalingRules(
                300,
                ScalingRules.SelectPolicy.MIN,
                java.util.List.of(ScalingPolicy.pods(2, 60), ScalingPolicy.percent(10, 30))));
    assertThat(m.hpa().metrics())
        .containsExactly(MetricSpec.memoryUtilization(90), MetricSpec.cpuUtilization(60));
    assertThat(m.workload())
        .contains(
            new Workload(
                300,
                (256L + 32) << 20,
                1100,
                java.util.Map.of(
                    "app", new Workload.ContainerRequests(250, 256L << 20),
                    "sidecar", new Workload.ContainerRequests(50, 32L << 20))));
  }

  @Test
  void defaultsToEightyPercentAndNoBehavior() {
    String yaml =
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          maxReplicas: 3
        """;
    ManifestReader.Manifest m = ManifestReader.parse(yaml, "x", Optional.empty());
    assertThat(m.hpa().targetUtilizationPercent()).isEqualTo(80);
    assertThat(m.hpa().minReplicas()).isEqualTo(1);
    assertThat(m.hpa().behavior()).isEmpty();
    assertThat(m.workload()).isEmpty();
  }

  @Test
  void readsAPodsMetricAsAMilliValue() {
    String yaml =
        """
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          maxReplicas: 3
          metrics:
          - type: Pods
            pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}
        """;
    ManifestReader.Manifest m = ManifestReader.parse(yaml, "x.yaml", Optional.empty());
    assertThat(m.hpa().metrics()).containsExactly(MetricSpec.pods("rps", 10_000));
    assertThat(m.hpa().targetUtilizationPercent()).isZero();
  }

  @Test
  void rejectsAnUnknownSelectPolicyNamingIt() {
    String yaml =
        """
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {kind: Deployment, name: web}
          maxReplicas: 3
          behavior: {scaleUp: {selectPolicy: Fastest}}
        """;
    assertThatThrownBy(() -> ManifestReader.parse(yaml, "x.yaml", Optional.empty()))
        .hasMessage(
            "x.yaml: HorizontalPodAutoscaler web: spec.behavior: selectPolicy must be Max, Min or Disabled, got"
                + " 'Fastest'");
  }

  @Test
  void rejectsInputWithoutAnHpa() {
    assertThatThrownBy(() -> ManifestReader.parse(DEPLOYMENT, "d.yaml", Optional.empty()))
        .hasMessage("d.yaml has no HorizontalPodAutoscaler or ScaledObject");
  }

  @Test
  void parsesQuantities() {
    assertThat(Quantities.cpuMillicores("250m")).isEqualTo(250);
    assertThat(Quantities.cpuMillicores("1.5")).isEqualTo(1500);
    assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantities.bytes("512M")).isEqualTo(512_000_000L);
    assertThatThrownBy(() -> Quantities.cpuMillicores("lots"))
        .hasMessageContaining("'lots' is not a Kubernetes quantity");
  }
}
