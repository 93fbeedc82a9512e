package dev.surge.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageSamplerTest {

  private final UsageSampler sampler = new UsageSampler(15, Map::of, () -> 0);

  @Test
  void totalsAddEveryPodsCpuBetweenReadings() {
    sampler.accumulate("a", 0, 10.0);
    sampler.accumulate("b", 0, 3.0);
    UsageSampler.Totals before = sampler.totals();
    sampler.accumulate("a", 10, 12.0); // 2 s of CPU over 10 s
    sampler.accumulate("b", 10, 3.5); // 0.5 s over 10 s
    UsageSampler.Totals after = sampler.totals();
    assertThat(after.cpuSeconds() - before.cpuSeconds()).isCloseTo(2.5, within(1e-9));
    assertThat(after.podSeconds() - before.podSeconds()).isCloseTo(20, within(1e-9));
  }

  @Test
  void aFirstReadingOrACounterGoingBackwardsAddsNothing() {
    sampler.accumulate("a", 0, 100.0);
    sampler.accumulate("a", 5, 1.0); // a restarted process: the counter starts again
    assertThat(sampler.totals().cpuSeconds()).isZero();
    sampler.accumulate("a", 10, 2.0);
    assertThat(sampler.totals().cpuSeconds()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void cpuPerRequestTakesTheIdleCpuOut() {
    UsageSampler.Totals before = new UsageSampler.Totals(0, 0);
    // 2 pods for 10 s at 100m idle = 2 s of idle CPU; 12 s used in all; 500 requests
    UsageSampler.Totals after = new UsageSampler.Totals(12, 20);
    assertThat(after.cpuPerRequestSince(before, 500, 100).getAsDouble())
        .isCloseTo(10.0 / 500, within(1e-9));
  }

  @Test
  void cpuPerRequestIsEmptyWithoutRequestsOrBusyCpu() {
    UsageSampler.Totals before = new UsageSampler.Totals(0, 0);
    assertThat(new UsageSampler.Totals(12, 20).cpuPerRequestSince(before, 0, 100)).isEmpty();
    assertThat(new UsageSampler.Totals(1, 20).cpuPerRequestSince(before, 10, 100)).isEmpty();
  }
}
