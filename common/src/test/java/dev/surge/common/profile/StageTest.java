package dev.surge.common.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each stage kind is one record: parsed from its text, printed back the same, scaled, compiled. */
class StageTest {
  static Stream<Arguments> stages() {
    return Stream.of(
        Arguments.of("hold:400/5m", new Stage.Hold(400, 300), 120_000.0),
        Arguments.of("pause:10s", new Stage.Pause(10), 0.0),
        Arguments.of("ramp:0->400/2m", new Stage.Ramp(0, 400, 120), 24_000.0),
        Arguments.of("step:100->300x3/30s", new Stage.Step(100, 300, 3, 30), 6_000.0),
        Arguments.of("spike:10->110/20s@2s", new Stage.Spike(10, 110, 20, 2), 400.0),
        Arguments.of("sine:0->100/1m@30s", new Stage.Sine(0, 100, 60, 30), 3_000.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void parsesToItsRecordAndPrintsBack(String text, Stage expected, double requests) {
    Stage s = RateProfile.parseStage(text);
    assertThat(s).isEqualTo(expected);
    assertThat(s.spec()).isEqualTo(text);
    assertThat(RateProfile.parseStage(s.spec())).isEqualTo(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void compilesToSegmentsCoveringTheStage(String text, Stage s, double requests) {
    assertThat(s.segments().stream().mapToDouble(Segment::duration).sum())
        .isEqualTo(s.durationSeconds());
    assertThat(s.segments().stream().mapToDouble(g -> g.integral(g.duration())).sum())
        .isCloseTo(requests, org.assertj.core.api.Assertions.within(1e-6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void scalingScalesTheRatesOnly(String text, Stage s, double requests) {
    Stage half = s.scaled(0.5);
    assertThat(half.durationSeconds()).isEqualTo(s.durationSeconds());
    assertThat(half.segments().stream().mapToDouble(g -> g.integral(g.duration())).sum())
        .isCloseTo(requests / 2, org.assertj.core.api.Assertions.within(1e-6));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "ramp-up:400/2m,ramp:0->400/2m",
    "ramp-down:400/2m,ramp:400->0/2m",
    "constant:5/1s,hold:5/1s",
    "step:0->10/4s,step:0->10x2/4s"
  })
  void aliasesBecomeTheirCanonicalKind(String alias, String canonical) {
    assertThat(RateProfile.parseStage(alias).spec()).isEqualTo(canonical);
  }
}
