package dev.surge.lab.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.KedaScaling;
import dev.surge.hpa.ScalingPolicy;
import dev.surge.hpa.ScalingRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {
  private static final HpaSpec SHIPPED =
      HpaSpec.of(2, 10, 70)
          .withBehavior(
              new ScalingRules(
                  60,
                  ScalingRules.SelectPolicy.MAX,
                  List.of(ScalingPolicy.percent(100, 60), ScalingPolicy.pods(2, 60))),
              new ScalingRules(
                  300,
                  ScalingRules.SelectPolicy.MIN,
                  List.of(ScalingPolicy.percent(50, 60), ScalingPolicy.pods(2, 60))));

  @Test
  void manifestTimingChangesNothing() {
    Timing t = Timing.manifest(SHIPPED);
    assertThat(t.hpa()).isEqualTo(SHIPPED);
    assertThat(t.syncPeriodSeconds()).isEqualTo(15);
    assertThat(t.metricWindowSeconds()).isEqualTo(15);
    assertThat(t.changes()).isEmpty();
  }

  @Test
  void fastShortensTheClocksAndSaysEachChange() {
    Timing t = Timing.fast(SHIPPED);
    assertThat(t.syncPeriodSeconds()).isEqualTo(5);
    assertThat(t.metricWindowSeconds()).isEqualTo(5);
    HpaSpec.Behavior b = t.hpa().behavior().orElseThrow();
    assertThat(b.scaleUp().stabilizationWindowSeconds()).isEqualTo(10);
    assertThat(b.scaleDown().stabilizationWindowSeconds()).isEqualTo(20);
    assertThat(b.scaleUp().policies())
        .containsExactly(ScalingPolicy.percent(100, 10), ScalingPolicy.pods(2, 10));
    assertThat(b.scaleDown().selectPolicy()).isEqualTo(ScalingRules.SelectPolicy.MIN);
    assertThat(t.hpa().minReplicas()).isEqualTo(2);
    assertThat(t.hpa().maxReplicas()).isEqualTo(10);
    assertThat(t.changes())
        .containsExactly(
            "sync period        15s -> 5s (controller default)",
            "metric window      15s -> 5s (metrics-server default)",
            "scaleUp window     60s -> 10s",
            "scaleUp policy     Percent 100 per 60s -> per 10s",
            "scaleUp policy     Pods 2 per 60s -> per 10s",
            "scaleDown window   300s -> 20s",
            "scaleDown policy   Percent 50 per 60s -> per 10s",
            "scaleDown policy   Pods 2 per 60s -> per 10s");
  }

  @Test
  void fastLeavesTheLegacyWindowOfAnHpaWithoutBehaviorAndSaysSo() {
    Timing t = Timing.fast(HpaSpec.of(1, 5, 50));
    assertThat(t.hpa().behavior()).isEmpty();
    assertThat(t.changes()).last().asString().contains("300s downscale window stays");
  }

  @Test
  void fastShortensKedasPollingAndCooldownOnlyForAScaledObjectThatScalesToZero() {
    HpaSpec toZero = SHIPPED.withKeda(new KedaScaling("surge", 0, -1, 15, 300, 0, List.of(0L)));
    Timing t = Timing.fast(toZero);
    assertThat(t.hpa().keda().orElseThrow())
        .isEqualTo(new KedaScaling("surge", 0, -1, 5, 30, 0, List.of(0L)));
    assertThat(t.changes())
        .contains("KEDA polling       15s -> 5s", "KEDA cooldown      300s -> 30s")
        .noneMatch(c -> c.startsWith("KEDA initial"));

    HpaSpec atTwo = SHIPPED.withKeda(new KedaScaling("surge", 2, -1, 15, 300, 0, List.of(0L)));
    assertThat(Timing.fast(atTwo).hpa().keda()).contains(atTwo.keda().orElseThrow());
  }
}
