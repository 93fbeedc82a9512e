package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * KEDA's operator loop (pkg/scaling/executor/scale_scaledobjects.go) on explicit times and trigger
 * values: activation, the cooldown, the first poll and initialCooldownPeriod, idle replicas, failed
 * triggers and cpu-only ScaledObjects.
 */
class KedaOperatorTest {
  /** Trigger values by External metric name (milli-values); a missing one is a failed query. */
  private static final class Values implements MetricReadings {
    final Map<String, Long> values = new HashMap<>();

    Values set(String metric, long milli) {
      values.put(metric, milli);
      return this;
    }

    Values fail(String metric) {
      values.remove(metric);
      return this;
    }

    @Override
    public OptionalLong externalValue(MetricSpec metric) {
      Long v = values.get(metric.name());
      return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
  }

  private static HpaSpec scaledObject(String extra) {
    return ManifestReader.parse(
            """
            kind: ScaledObject
            metadata: {name: api}
            spec:
              scaleTargetRef: {name: api}
            %s
              triggers:
              - type: prometheus
                metadata: {serverAddress: http://p:9090, query: q0, threshold: "50", activationThreshold: "1"}
              - type: cpu
                metadata: {value: "70"}
              - type: prometheus
                metadata: {serverAddress: http://p:9090, query: q2, threshold: "50"}
            """
                .formatted(extra.indent(2).stripTrailing()),
            "so.yaml",
            Optional.empty())
        .hpa();
  }

  private static final HpaSpec TO_ZERO = scaledObject("minReplicaCount: 0\ncooldownPeriod: 60");

  @Test
  void activatesFromZeroToOneWhenATriggerExceedsItsActivationThresholdStrictly() {
    KedaOperator k = new KedaOperator(TO_ZERO, 0);
    Values v = new Values().set("s0-prometheus", 1000).set("s2-prometheus", 0);
    KedaOperator.Poll at = k.poll(10, 0, v);
    assertThat(at.replicas()).as("1 is not above activationThreshold 1").isZero();
    assertThat(at.reason()).isEqualTo("ScalerNotActive");

    KedaOperator.Poll on = k.poll(20, 0, v.set("s0-prometheus", 1500));
    assertThat(on)
        .isEqualTo(
            new KedaOperator.Poll(
                1,
                true,
                "KEDAScaleTargetActivated",
                "triggered by s0-prometheus 1.50 > activationThreshold 1"));
    assertThat(k.lastActive()).isEqualTo(20);
  }

  @Test
  void aTriggerWithoutActivationThresholdIsActiveAboveZero() {
    KedaOperator k = new KedaOperator(TO_ZERO, 0);
    KedaOperator.Poll p =
        k.poll(5, 0, new Values().set("s0-prometheus", 0).set("s2-prometheus", 1));
    assertThat(p.replicas()).isEqualTo(1);
    assertThat(p.message()).isEqualTo("triggered by s2-prometheus 0.00100 > activationThreshold 0");
  }

  @Test
  void scalesToZeroOnlyOnceTheCooldownHasPassedSinceTheLastActivePoll() {
    KedaOperator k = new KedaOperator(TO_ZERO, 0);
    Values v = new Values().set("s0-prometheus", 90_000).set("s2-prometheus", 0);
    assertThat(k.poll(0, 3, v).reason()).isEqualTo("ScalerActive");
    assertThat(k.poll(15, 3, v).reason()).isEqualTo("ScalerActive");
    v.set("s0-prometheus", 0);
    // idle from 30 s on; the last active poll was at 15 s, the cooldown is 60 s
    for (int t = 30; t < 75; t += 15) {
      KedaOperator.Poll p = k.poll(t, 3, v);
      assertThat(p.replicas()).as("at %ds", t).isEqualTo(3);
      assertThat(p.reason()).isEqualTo("ScalerCooldown");
    }
    KedaOperator.Poll off = k.poll(75, 3, v);
    assertThat(off.replicas()).isZero();
    assertThat(off.reason()).isEqualTo("KEDAScaleTargetDeactivated");
    assertThat(off.message())
        .isEqualTo(
            "s0-prometheus 0 <= activationThreshold 1, s2-prometheus 0 <= activationThreshold 0;"
                + " cooldownPeriod 60s since the last active poll at 15s");
  }

  @Test
  void anActivePollInTheCooldownStartsItAgain() {
    KedaOperator k = new KedaOperator(TO_ZERO, 0);
    Values v = new Values().set("s0-prometheus", 5000).set("s2-prometheus", 0);
    k.poll(0, 2, v);
    v.set("s0-prometheus", 0);
    k.poll(30, 2, v);
    k.poll(50, 2, v.set("s0-prometheus", 2000));
    assertThat(k.poll(100, 2, v.set("s0-prometheus", 0)).replicas()).isEqualTo(2);
    assertThat(k.poll(110, 2, v).replicas()).isZero();
  }

  @Test
  void theFirstPollOfATargetNeverActiveScalesToZeroAfterTheInitialCooldown() {
    Values idle = new Values().set("s0-prometheus", 0).set("s2-prometheus", 0);
    // default initialCooldownPeriod 0: the pods that were there go at the first poll
    KedaOperator.Poll first = new KedaOperator(TO_ZERO, 0).poll(0.01, 1, idle);
    assertThat(first.replicas()).isZero();
    assertThat(first.message())
        .endsWith("never active, initialCooldownPeriod 0s since the ScaledObject was created");

    KedaOperator k =
        new KedaOperator(scaledObject("minReplicaCount: 0\ninitialCooldownPeriod: 40"), 100);
    assertThat(k.poll(130, 2, idle).reason()).isEqualTo("ScalerCooldown");
    assertThat(k.poll(140, 2, idle).replicas()).isZero();
  }

  @Test
  void idleModeScalesToTheIdleCountAndBackToMinReplicaCount() {
    HpaSpec hpa = scaledObject("minReplicaCount: 3\nidleReplicaCount: 0\ncooldownPeriod: 10");
    assertThat(hpa.minReplicas()).isEqualTo(3);
    KedaOperator k = new KedaOperator(hpa, 0);
    Values v = new Values().set("s0-prometheus", 0).set("s2-prometheus", 0);
    assertThat(k.poll(1, 3, v).replicas()).as("never active: to idle at once").isZero();
    assertThat(k.poll(5, 0, v.set("s2-prometheus", 500)).replicas())
        .as("active below minReplicaCount: to minReplicaCount")
        .isEqualTo(3);
    assertThat(k.poll(10, 1, v).replicas()).as("still below min in idle mode").isEqualTo(3);
  }

  @Test
  void withoutIdleModeAndMinAboveZeroKedaOnlyRestoresMinReplicaCount() {
    HpaSpec hpa = scaledObject("minReplicaCount: 2");
    assertThat(hpa.keda().orElseThrow().scaleToZero()).isFalse();
    KedaOperator k = new KedaOperator(hpa, 0);
    Values idle = new Values().set("s0-prometheus", 0).set("s2-prometheus", 0);
    assertThat(k.poll(500, 2, idle).reason()).isEqualTo("ScalerNotActive");
    assertThat(k.poll(510, 1, idle))
        .extracting(KedaOperator.Poll::replicas, KedaOperator.Poll::reason)
        .containsExactly(2, "MinReplicaCount");
  }

  @Test
  void aFailedTriggerKeepsTheCountAndDoesNotRefreshTheLastActiveTime() {
    KedaOperator k = new KedaOperator(TO_ZERO, 0);
    Values v = new Values().set("s0-prometheus", 5000).set("s2-prometheus", 0);
    k.poll(0, 2, v);
    v.fail("s2-prometheus");
    KedaOperator.Poll partial = k.poll(30, 2, v);
    assertThat(partial.reason()).isEqualTo("PartialTriggerError");
    assertThat(k.lastActive()).isZero();
    v.set("s0-prometheus", 0);
    KedaOperator.Poll failed = k.poll(90, 2, v);
    assertThat(failed)
        .extracting(KedaOperator.Poll::replicas, KedaOperator.Poll::reason)
        .containsExactly(2, "TriggerError");
    // a failed trigger does not stop an activation from zero
    KedaOperator.Poll up = k.poll(100, 0, v.set("s0-prometheus", 4000));
    assertThat(up.replicas()).isEqualTo(1);
  }

  @Test
  void aScaledObjectWithOnlyCpuTriggersIsAlwaysActive() {
    HpaSpec hpa =
        ManifestReader.parse(
                """
                kind: ScaledObject
                metadata: {name: api}
                spec:
                  scaleTargetRef: {name: api}
                  minReplicaCount: 1
                  triggers:
                  - type: cpu
                    metadata: {value: "70"}
                """,
                "so.yaml",
                Optional.empty())
            .hpa();
    KedaOperator.Poll p = new KedaOperator(hpa, 0).poll(30, 0, new Values());
    assertThat(p.replicas()).isEqualTo(1);
    assertThat(p.reason()).isEqualTo("KEDAScaleTargetActivated");
  }
}
