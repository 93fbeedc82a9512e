package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The HPA KEDA creates, from the examples of the KEDA docs (keda.sh/docs/2.15: ScaledObject
 * specification, the Prometheus, CPU and memory scalers) and the project's own ScaledObject.
 */
class KedaTranslatorTest {
  private static HpaSpec read(String yaml) {
    return ManifestReader.parse(yaml, "so.yaml", Optional.empty()).hpa();
  }

  /** The Prometheus scaler page's trigger, in a ScaledObject with every default. */
  @Test
  void prometheusTriggerBecomesAnExternalAverageValueMetricWithKedasDefaults() {
    HpaSpec hpa =
        read(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: prometheus-scaledobject, namespace: default}
            spec:
              scaleTargetRef: {name: my-deployment}
              triggers:
              - type: prometheus
                metadata:
                  serverAddress: http://prometheus-host:9090
                  query: sum(rate(http_requests_total{deployment="my-deployment"}[2m]))
                  threshold: '100.50'
                  activationThreshold: '5.5'
            """);
    assertThat(hpa.name()).isEqualTo("keda-hpa-prometheus-scaledobject");
    assertThat(hpa.targetName()).isEqualTo("my-deployment");
    assertThat(hpa.minReplicas()).isEqualTo(1); // minReplicaCount 0: the HPA keeps 1, KEDA does 0
    assertThat(hpa.maxReplicas()).isEqualTo(100);
    assertThat(hpa.metrics())
        .containsExactly(
            MetricSpec.external("s0-prometheus", MetricSpec.TargetType.AVERAGE_VALUE, 100_500));
    assertThat(hpa.behavior()).isEmpty();
    assertThat(hpa.keda())
        .contains(new KedaScaling("prometheus-scaledobject", 0, -1, 30, 300, 0, List.of(5_500L)));
  }

  /** The CPU and memory scaler pages: Resource metrics, Utilization by default; containerName. */
  @Test
  void cpuAndMemoryTriggersBecomeResourceMetrics() {
    HpaSpec hpa =
        read(
            """
            kind: ScaledObject
            metadata: {name: web}
            spec:
              scaleTargetRef: {name: web}
              minReplicaCount: 1
              maxReplicaCount: 8
              triggers:
              - type: cpu
                metricType: Utilization
                metadata: {value: "60"}
              - type: memory
                metricType: AverageValue
                metadata: {value: "512Mi"}
              - type: cpu
                metricType: Utilization
                metadata: {value: "50", containerName: foo}
              - type: prometheus
                metricType: Value
                metadata: {serverAddress: http://p:9090, query: q, threshold: "20"}
            """);
    assertThat(hpa.metrics())
        .containsExactly(
            MetricSpec.cpuUtilization(60),
            new MetricSpec(
                MetricSpec.Source.RESOURCE,
                "memory",
                Optional.empty(),
                MetricSpec.TargetType.AVERAGE_VALUE,
                (512L << 20) * 1000),
            new MetricSpec(
                MetricSpec.Source.CONTAINER_RESOURCE,
                "cpu",
                Optional.of("foo"),
                MetricSpec.TargetType.UTILIZATION,
                50),
            MetricSpec.external("s3-prometheus", MetricSpec.TargetType.VALUE, 20_000));
    assertThat(hpa.minReplicas()).isEqualTo(1);
    assertThat(hpa.maxReplicas()).isEqualTo(8);
    assertThat(hpa.keda().orElseThrow().scaleToZero()).isFalse();
    assertThat(hpa.keda().orElseThrow().activations()).containsExactly(-1L, -1L, -1L, 0L);
  }

  /** The project's ScaledObject: name and behavior from horizontalPodAutoscalerConfig. */
  @Test
  void readsTheShippedScaledObject() {
    HpaSpec hpa =
        ManifestReader.read(
                Path.of("..", "k8s", "components", "keda", "scaledobject.yaml"), Optional.empty())
            .hpa();
    assertThat(hpa.name()).isEqualTo("surge"); // advanced.horizontalPodAutoscalerConfig.name
    assertThat(hpa.minReplicas()).isEqualTo(2);
    assertThat(hpa.maxReplicas()).isEqualTo(10);
    assertThat(hpa.metrics())
        .containsExactly(
            MetricSpec.external("s0-prometheus", MetricSpec.TargetType.AVERAGE_VALUE, 50_000),
            MetricSpec.cpuUtilization(70));
    HpaSpec.Behavior b = hpa.behavior().orElseThrow();
    assertThat(b.scaleUp().stabilizationWindowSeconds()).isEqualTo(60);
    assertThat(b.scaleDown().selectPolicy()).isEqualTo(ScalingRules.SelectPolicy.MIN);
    assertThat(b.scaleDown().policies())
        .containsExactly(ScalingPolicy.percent(50, 60), ScalingPolicy.pods(2, 60));
    assertThat(hpa.keda().orElseThrow().pollingIntervalSeconds()).isEqualTo(15);
    assertThat(hpa.keda().orElseThrow().scaleToZero()).isFalse();
  }

  @Test
  void refusesATriggerItCannotModelNamingIt() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: orders}
                    spec:
                      scaleTargetRef: {name: consumer}
                      triggers:
                      - type: cpu
                        metadata: {value: "50"}
                      - type: kafka
                        metadata: {topic: orders, lagThreshold: "10"}
                    """))
        .hasMessage(
            "so.yaml: ScaledObject orders: spec.triggers[1]: trigger type 'kafka' cannot be"
                + " modelled (supported: prometheus as a request rate, cpu, memory)");
  }

  @Test
  void refusesScaleToZeroOnCpuAlone() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: web}
                    spec:
                      scaleTargetRef: {name: web}
                      minReplicaCount: 0
                      triggers:
                      - type: cpu
                        metadata: {value: "50"}
                    """))
        .hasMessageContaining(
            "ScaledObject web: minReplicaCount/idleReplicaCount 0 needs a trigger")
        .hasMessageContaining("cpu or memory");
  }

  @Test
  void refusesScalingModifiers() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: web}
                    spec:
                      scaleTargetRef: {name: web}
                      advanced:
                        scalingModifiers: {formula: "a + b", target: "2"}
                      triggers:
                      - type: prometheus
                        metadata: {serverAddress: http://p:9090, query: q, threshold: "20"}
                    """))
        .hasMessage(
            "so.yaml: ScaledObject web: advanced.scalingModifiers (composite metrics) cannot be"
                + " modelled");
  }

  @Test
  void readsKedasOwnTimingAndIdleReplicaCount() {
    KedaScaling k =
        read("""
                kind: ScaledObject
                metadata: {name: web}
                spec:
                  scaleTargetRef: {name: web}
                  minReplicaCount: 2
                  idleReplicaCount: 0
                  pollingInterval: 10
                  cooldownPeriod: 120
                  initialCooldownPeriod: 60
                  triggers:
                  - type: prometheus
                    metadata: {serverAddress: http://p:9090, query: q, threshold: "5"}
                """)
            .keda()
            .orElseThrow();
    assertThat(k).isEqualTo(new KedaScaling("web", 2, 0, 10, 120, 60, List.of(0L)));
    assertThat(k.scaleToZero()).isTrue();
    assertThat(k.activeReplicas()).isEqualTo(2);
    assertThat(k.idleReplicas()).isZero();
  }

  @Test
  void refusesWhatKedasWebhookRefusesAndWhatCannotBeModelled() {
    String trigger =
        """
          triggers:
          - type: prometheus
            metadata: {serverAddress: http://p:9090, query: q, threshold: "5"}
        """;
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: web}
                    spec:
                      scaleTargetRef: {name: web}
                      minReplicaCount: 1
                      idleReplicaCount: 1
                    """
                        + trigger))
        .hasMessage(
            "so.yaml: ScaledObject web: IdleReplicaCount=1 must be less than MinReplicaCount=1");
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: web}
                    spec:
                      scaleTargetRef: {name: web}
                      fallback: {failureThreshold: 3, replicas: 2}
                    """
                        + trigger))
        .hasMessage(
            "so.yaml: ScaledObject web: spec.fallback (replicas when a scaler fails) cannot be"
                + " modelled");
    assertThatThrownBy(
            () ->
                read(
                    """
                    kind: ScaledObject
                    metadata: {name: web, annotations: {autoscaling.keda.sh/paused: "true"}}
                    spec:
                      scaleTargetRef: {name: web}
                    """
                        + trigger))
        .hasMessage(
            "so.yaml: ScaledObject web: annotation autoscaling.keda.sh/paused (a paused"
                + " ScaledObject) cannot be modelled");
  }
}
