package dev.surge.lab.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The first probe of a container waits for the kubelet's next tick ({@link ReplicaSet#untilTick}):
 * the prober's ticker starts when the pod is added, not when the app becomes reachable.
 */
class ProbeTickTest {
  @ParameterizedTest(name = "created {0}, period {1}, reachable at {2}: next probe in {3}")
  @CsvSource({
    // between two ticks: the next one
    "10, 1, 10.3, 0.7",
    "10, 2, 13.5, 0.5",
    "10, 2, 11.9, 0.1",
    // on a tick: at once
    "10, 2, 14, 0",
    "10, 1, 10, 0",
    // reachable before the pod was added (a clock read out of order): the first tick, at creation
    "10, 1, 9.5, 0.5"
  })
  void theFirstProbeIsOnTheKubeletsNextTick(
      double created, double period, double now, double expected) {
    assertThat(ReplicaSet.untilTick(created, period, now)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void aLongerPeriodDelaysReadinessByUpToOnePeriod() {
    // The app is reachable 0.3 s after the pod was added: 1 s ticks make it ready at 1 s, 2 s
    // ticks at 2 s (why the Deployment's startup probe runs every second).
    assertThat(0.3 + ReplicaSet.untilTick(0, 1, 0.3)).isCloseTo(1, within(1e-9));
    assertThat(0.3 + ReplicaSet.untilTick(0, 2, 0.3)).isCloseTo(2, within(1e-9));
  }

  @Test
  void neverNegative() {
    for (int i = 0; i < 1000; i++) {
      double now = 1e6 + i * 0.1; // ticks that floating point cannot hit exactly
      assertThat(ReplicaSet.untilTick(0.1, 0.1, now)).isBetween(0.0, 0.1 + 1e-9);
    }
  }
}
