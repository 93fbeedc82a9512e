package dev.surge.lab.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunCostTest {
  private static final Prices PRICES = new Prices(0.04, 0.005, "USD");

  @Test
  void pricesRequestsOverEveryPodsLifeWithinThePeriod() {
    // Two pods all along (0..3600), a third for half an hour, a fourth created before the period
    // and gone 600 s into it; 500m and 1 GiB each.
    List<RunCost.Life> lives =
        List.of(
            new RunCost.Life(-100, Double.NaN),
            new RunCost.Life(0, Double.NaN),
            new RunCost.Life(1800, 3600),
            new RunCost.Life(-50, 600));
    RunCost c = RunCost.compute(lives, 0, 3600, 500, 1L << 30, 1800, 10, PRICES);
    double podSeconds = 3600 + 3600 + 1800 + 600;
    assertThat(c.requestedCoreSeconds()).isCloseTo(podSeconds * 0.5, within(1e-9));
    assertThat(c.requestedGibSeconds()).isCloseTo(podSeconds, within(1e-9));
    assertThat(c.cost())
        .isCloseTo(podSeconds * 0.5 / 3600 * 0.04 + podSeconds / 3600 * 0.005, within(1e-12));
    assertThat(c.idleShare()).isCloseTo(1 - 1800 / (podSeconds * 0.5), within(1e-12));
    assertThat(c.peakReplicas()).isEqualTo(3);
  }

  @Test
  void comparesWithStaticDeploymentsAtPeakAndAtMax() {
    List<RunCost.Life> lives = List.of(new RunCost.Life(0, Double.NaN), new RunCost.Life(100, 200));
    RunCost c = RunCost.compute(lives, 0, 400, 1000, 0, 0, 4, PRICES);
    // autoscaled: 500 pod-seconds of 1 core; static at peak: 2 x 400; at max: 4 x 400
    assertThat(c.staticAtPeak().replicas()).isEqualTo(2);
    assertThat(c.staticAtPeak().requestedCoreSeconds()).isEqualTo(800);
    assertThat(c.staticAtPeak().savingPercent()).isCloseTo((800 - 500) / 800.0 * 100, within(1e-9));
    assertThat(c.staticAtMax().requestedCoreSeconds()).isEqualTo(1600);
    assertThat(c.staticAtMax().savingPercent())
        .isCloseTo((1600 - 500) / 1600.0 * 100, within(1e-9));
    assertThat(c.idleShare()).isEqualTo(1);
  }

  @Test
  void summaryNamesTheCurrencyTheSavingAndTheSlo() {
    RunCost c =
        RunCost.compute(
            List.of(new RunCost.Life(0, Double.NaN), new RunCost.Life(0, 1800)),
            0,
            3600,
            1000,
            0,
            2700,
            4,
            PRICES);
    assertThat(c.summary(85.4, 2.0))
        .isEqualTo(
            "autoscaled cost 0.0600 USD, static at peak (2) 0.0800 USD (−25 %), at maxReplicas (4)"
                + " 0.1600 USD (−63 %); idle CPU 50 %; p99 85 ms, error budget used 2.0 %");
  }

  @Test
  void peakCountsOnlyOverlapsInsideThePeriod() {
    List<RunCost.Life> lives =
        List.of(new RunCost.Life(0, 10), new RunCost.Life(5, 20), new RunCost.Life(30, Double.NaN));
    assertThat(RunCost.peak(lives, 0, 100)).isEqualTo(2);
    assertThat(RunCost.peak(lives, 12, 100)).isEqualTo(1);
  }
}
