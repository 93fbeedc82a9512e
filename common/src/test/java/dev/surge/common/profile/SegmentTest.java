package dev.surge.common.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The closed-form maths behind a profile, checked against numeric integration. */
class SegmentTest {
  static Stream<Arguments> segments() {
    return Stream.of(
        Arguments.of("hold", new Segment.Linear(50, 50, 10)),
        Arguments.of("ramp up", new Segment.Linear(0, 400, 120)),
        Arguments.of("ramp down", new Segment.Linear(300, 20, 30)),
        Arguments.of("sine", new Segment.Sine(10, 90, 20, 0, 50)),
        Arguments.of("sine from mid-cycle", new Segment.Sine(0, 100, 8, 3, 13)),
        Arguments.of("sine from zero", new Segment.Sine(0, 40, 10, 0, 10)));
  }

  /** Trapezoid rule over many small steps. */
  private static double numericIntegral(Segment s, double u) {
    int n = 100_000;
    double h = u / n;
    double sum = 0.5 * (s.rateAt(0) + s.rateAt(u));
    for (int i = 1; i < n; i++) {
      sum += s.rateAt(i * h);
    }
    return sum * h;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void integralMatchesTheRateIntegratedNumerically(String name, Segment s) {
    for (double f : new double[] {0.1, 0.37, 0.5, 0.9, 1.0}) {
      double u = s.duration() * f;
      assertThat(s.integral(u))
          .as("%s at %s", name, u)
          .isCloseTo(numericIntegral(s, u), within(1e-3));
    }
    assertThat(s.integral(0)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void inverseUndoesTheIntegral(String name, Segment s) {
    double total = s.integral(s.duration());
    for (double f : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
      double x = total * f;
      assertThat(s.integral(s.inverse(x)))
          .as("%s at %s requests", name, x)
          .isCloseTo(x, within(1e-6));
    }
    assertThat(s.inverse(0)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void peakIsTheLargestRateInside(String name, Segment s) {
    double max = 0;
    for (int i = 0; i <= 10_000; i++) {
      max = Math.max(max, s.rateAt(s.duration() * i / 10_000));
    }
    assertThat(s.peak()).as(name).isCloseTo(max, within(1e-3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void cappingClipsTheRateAndKeepsTheLengthAndTheShapeBelowTheCap(String name, Segment s) {
    double cap = s.peak() * 0.6 + 1;
    List<Segment> pieces = s.capped(cap);
    assertThat(pieces.stream().mapToDouble(Segment::duration).sum())
        .isCloseTo(s.duration(), within(1e-9));
    double t = 0;
    for (Segment p : pieces) {
      assertThat(p.peak()).as("%s piece at %s", name, t).isLessThanOrEqualTo(cap + 1e-9);
      for (double f : new double[] {0.0, 0.3, 0.7}) {
        double u = p.duration() * f;
        assertThat(p.rateAt(u))
            .as("%s at %s", name, t + u)
            .isCloseTo(Math.min(cap, s.rateAt(t + u)), within(1e-6));
      }
      t += p.duration();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void scalingMultipliesEveryRate(String name, Segment s) {
    Segment half = s.scaled(0.5);
    assertThat(half.duration()).isEqualTo(s.duration());
    assertThat(half.integral(s.duration()))
        .as(name)
        .isCloseTo(s.integral(s.duration()) / 2, within(1e-9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void truncationKeepsTheBeginning(String name, Segment s) {
    double u = s.duration() * 0.4;
    Segment head = s.truncated(u);
    assertThat(head.duration()).isEqualTo(u);
    assertThat(head.integral(u)).as(name).isCloseTo(s.integral(u), within(1e-9));
    assertThat(head.rateAt(u / 2)).isCloseTo(s.rateAt(u / 2), within(1e-9));
  }

  @Test
  void aCapBelowTheWholeSegmentIsAFlatLine() {
    assertThat(new Segment.Linear(100, 200, 10).capped(50))
        .containsExactly(new Segment.Linear(50, 50, 10));
    assertThat(new Segment.Sine(60, 90, 5, 0, 10).capped(50))
        .containsExactly(new Segment.Linear(50, 50, 10));
  }

  @Test
  void aRampCrossingTheCapSplitsWhereItCrosses() {
    assertThat(new Segment.Linear(0, 100, 10).capped(40))
        .containsExactly(new Segment.Linear(0, 40, 4), new Segment.Linear(40, 40, 6));
  }
}
