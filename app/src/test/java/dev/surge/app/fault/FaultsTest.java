package dev.surge.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.PrimitiveIterator;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private static Faults withDraws(double rate, double... draws) {
    PrimitiveIterator.OfDouble it = DoubleStream.of(draws).iterator();
    return new Faults(new FaultSettings(rate, 0, true), it::nextDouble);
  }

  @Test
  void failsExactlyTheDrawsBelowTheRate() {
    Faults faults = withDraws(0.3, 0.0, 0.29, 0.3, 0.31, 0.99, 0.1);
    assertThat(
            new boolean[] {
              faults.shouldFail(), faults.shouldFail(), faults.shouldFail(),
              faults.shouldFail(), faults.shouldFail(), faults.shouldFail()
            })
        .containsExactly(true, true, false, false, false, true);
  }

  @Test
  void zeroNeverFailsAndDrawsNothing() {
    Faults faults = withDraws(0.0); // no draws available: a draw would throw
    for (int i = 0; i < 100; i++) {
      assertThat(faults.shouldFail()).isFalse();
    }
  }

  @Test
  void oneAlwaysFailsWhateverTheDraw() {
    Faults faults = withDraws(1.0);
    for (int i = 0; i < 100; i++) {
      assertThat(faults.shouldFail()).isTrue();
    }
  }

  @Test
  void failsAboutTheRateWithASeededRandom() {
    java.util.Random random = new java.util.Random(7);
    Faults faults = new Faults(new FaultSettings(0.25, 0, true), random::nextDouble);
    int failed = 0;
    for (int i = 0; i < 10_000; i++) {
      if (faults.shouldFail()) {
        failed++;
      }
    }
    assertThat(failed).isBetween(2_300, 2_700);
  }

  @Test
  void aNewSettingTakesEffectForTheNextRequest() {
    Faults faults = withDraws(0.0, 0.5);
    assertThat(faults.shouldFail()).isFalse();
    faults.set(new FaultSettings(0.6, 10, false));
    assertThat(faults.settings()).isEqualTo(new FaultSettings(0.6, 10, false));
    assertThat(faults.shouldFail()).isTrue();
  }

  @Test
  void settingsRefuseOutOfRangeValues() {
    assertThatThrownBy(() -> new FaultSettings(1.1, 0, true))
        .hasMessage("errorRate must be from 0 to 1, got 1.1");
    assertThatThrownBy(() -> new FaultSettings(Double.NaN, 0, true))
        .hasMessage("errorRate must be from 0 to 1, got NaN");
    assertThatThrownBy(() -> new FaultSettings(0, -1, true))
        .hasMessage("addedLatencyMillis must not be negative, got -1");
  }
}
