package dev.surge.common.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateProfileTest {

  /**
   * Integrates rateAt numerically (composite Simpson on fine steps), independent of the closed
   * forms.
   */
  static double numericIntegral(RateProfile p, double t) {
    int n = 20_000;
    double h = t / n;
    double sum = p.rateAt(0) + p.rateAt(t - 1e-12);
    for (int i = 1; i < n; i++) {
      sum += p.rateAt(i * h) * (i % 2 == 0 ? 2 : 4);
    }
    return sum * h / 3.0;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hold:250/10s",
        "ramp:0->400/2m",
        "ramp:400->100/30s",
        "ramp-up:300/20s",
        "ramp-down:300/20s",
        "step:100->400x4/40s",
        "step:50->10/10s",
        "spike:100->1000/1m@6s",
        "spike:20->80/10s",
        "sine:100->500/2m@30s",
        "sine:0->200/45s",
        "pause:5s,hold:100/5s",
        "ramp:0->400/2m,hold:400/5m,ramp-down:400/2m"
      })
  void integralOfTheRateMatchesNumericIntegrationForEveryShape(String spec) {
    RateProfile p = RateProfile.parse(spec);
    for (double frac : new double[] {0.1, 0.25, 0.37, 0.5, 0.73, 0.9, 1.0}) {
      double t = p.durationSeconds() * frac;
      assertThat(p.expectedRequests(t))
          .as("integral at %s of %s", t, spec)
          .isCloseTo(numericIntegral(p, t), within(Math.max(0.05, p.totalRequests() * 1e-4)));
    }
  }

  @Test
  void rampHasTheExpectedRateAndIntegral() {
    RateProfile p = RateProfile.parse("ramp:0->400/2m,hold:400/5m,ramp-down:400/2m");
    assertThat(p.durationSeconds()).isEqualTo(540.0);
    assertThat(p.rateAt(60)).isCloseTo(200.0, within(1e-9));
    assertThat(p.rateAt(200)).isEqualTo(400.0);
    assertThat(p.rateAt(480)).isCloseTo(200.0, within(1e-9));
    assertThat(p.expectedRequests(120)).isCloseTo(24_000.0, within(1e-6));
    assertThat(p.expectedRequests(540)).isCloseTo(24_000 + 120_000 + 24_000, within(1e-6));
    assertThat(p.peakRate()).isEqualTo(400.0);
    assertThat(p.rateAt(-1)).isZero();
    assertThat(p.rateAt(540)).isZero();
  }

  @Test
  void stepSpikeAndSineHaveTheirDocumentedLevels() {
    RateProfile step = RateProfile.parse("step:100->400x4/40s");
    assertThat(new double[] {step.rateAt(5), step.rateAt(15), step.rateAt(25), step.rateAt(35)})
        .containsExactly(100, 200, 300, 400);
    RateProfile spike = RateProfile.parse("spike:100->1000/60s@6s");
    assertThat(spike.rateAt(26.9)).isEqualTo(100);
    assertThat(spike.rateAt(27.1)).isEqualTo(1000);
    assertThat(spike.rateAt(32.9)).isEqualTo(1000);
    assertThat(spike.rateAt(33.1)).isEqualTo(100);
    RateProfile sine = RateProfile.parse("sine:100->500/2m@1m");
    assertThat(sine.rateAt(0)).isCloseTo(100, within(1e-9));
    assertThat(sine.rateAt(30)).isCloseTo(500, within(1e-9));
    assertThat(sine.rateAt(60)).isCloseTo(100, within(1e-9));
    assertThat(sine.expectedRequests(120)).isCloseTo(300 * 120, within(1e-6));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ramp:0->400/2m,hold:400/5m,ramp:400->0/2m",
        "sine:100->500/2m@1m",
        "step:100->400x4/40s",
        "spike:100->1000/1m@6s",
        "pause:5s,hold:100/5s",
        "hold:2.5/1m30s"
      })
  void canonicalSpecParsesBackToTheSameProfile(String spec) {
    RateProfile p = RateProfile.parse(spec);
    RateProfile again = RateProfile.parse(p.toString());
    assertThat(again.toString()).isEqualTo(p.toString());
    assertThat(again.totalRequests()).isCloseTo(p.totalRequests(), within(1e-9));
  }

  @Test
  void capClipsRampsAndSinesAndKeepsTheIntegralConsistent() {
    RateProfile ramp = RateProfile.parse("ramp:0->400/40s,ramp-down:400/40s").cappedAt(100);
    assertThat(ramp.peakRate()).isEqualTo(100);
    assertThat(ramp.rateAt(5)).isCloseTo(50, within(1e-9));
    assertThat(ramp.rateAt(30)).isEqualTo(100);
    // 0->100 over 10 s (500), 100 for 30 s on the way up, then mirror: 2 * (500 + 3000)
    assertThat(ramp.totalRequests()).isCloseTo(7000, within(1e-6));
    assertThat(ramp.toString()).endsWith("(capped at 100 req/s)");

    RateProfile sine = RateProfile.parse("sine:0->200/95s@20s").cappedAt(150);
    assertThat(sine.peakRate()).isLessThanOrEqualTo(150.0 + 1e-9);
    for (double t = 0; t < 95; t += 0.7) {
      RateProfile raw = RateProfile.parse("sine:0->200/95s@20s");
      assertThat(sine.rateAt(t))
          .as("t=%s", t)
          .isCloseTo(Math.min(150, raw.rateAt(t)), within(1e-6));
    }
    assertThat(sine.expectedRequests(95)).isCloseTo(numericIntegral(sine, 95), within(0.05));
  }

  @Test
  void truncatedKeepsTheStartOfTheProfile() {
    RateProfile p = RateProfile.parse("ramp:0->400/2m,hold:400/5m").truncated(60);
    assertThat(p.durationSeconds()).isEqualTo(60);
    assertThat(p.rateAt(59.999)).isCloseTo(200, within(0.01));
    assertThat(p.totalRequests()).isCloseTo(6000, within(1e-6));
    assertThat(p.toString()).endsWith("(cut at 1m)");
    assertThat(RateProfile.parse("hold:10/5s").truncated(60).durationSeconds()).isEqualTo(5);
  }

  @Test
  void scaledMultipliesEveryRate() {
    RateProfile p = RateProfile.parse("ramp:0->400/2m,sine:100->300/1m@20s").scaled(0.25);
    assertThat(p.rateAt(60)).isCloseTo(50, within(1e-9));
    assertThat(p.totalRequests())
        .isCloseTo(
            RateProfile.parse("ramp:0->400/2m,sine:100->300/1m@20s").totalRequests() / 4,
            within(1e-6));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "burst:100/1m|unknown stage 'burst'",
        "hold:-5/1m|does not match hold:RATE/DUR",
        "ramp:0->400/120|'120' is not a duration",
        "ramp:0->400|does not match ramp:FROM->TO/DUR",
        "hold:100/0s|duration must be > 0",
        "ramp-down:100->400/1m|ramp-down must go down",
        "sine:500->100/1m|sine LOW must not exceed HIGH",
        "spike:1->2/10s@20s|longer than the stage",
        "step:1->2x0/10s|step count must be 1..10000",
        "hold|is not KIND:ARGS",
        "''|empty profile"
      })
  void rejectsBadSpecsWithAMessageNamingTheProblem(String spec, String message) {
    assertThatThrownBy(() -> RateProfile.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsNegativeConstantRate() {
    assertThatThrownBy(() -> RateProfile.constant(-1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate must be a number >= 0 requests/s, got -1");
  }
}
