package dev.surge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"500ms,0.5", "5s,5", "2m,120", "1h,3600", "1m30s,90", "1.5s,1.5", "2h1m1s,7261"})
  void parsesDurations(String text, double seconds) {
    assertThat(Durations.parseSeconds(text)).isEqualTo(seconds);
  }

  @ParameterizedTest
  @ValueSource(strings = {"60", "5 parsecs", "-1s", "s", "1m-30s"})
  void rejectsTextThatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parseSeconds(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'" + text + "' is not a duration");
  }

  @ParameterizedTest
  @CsvSource({"90,1m30s", "0.25,250ms", "3600,1h", "7261,2h1m1s", "1.5,1.5s"})
  void formatsSoThatParsingGivesTheSameValue(double seconds, String text) {
    assertThat(Durations.format(seconds)).isEqualTo(text);
    assertThat(Durations.parseSeconds(text)).isEqualTo(seconds);
  }
}
