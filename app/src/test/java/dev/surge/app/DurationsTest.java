package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"500ms,500", "0ms,0", "5s,5000", "2m,120000", "1h,3600000", "90s,90000"})
  void parsesEachUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "", "5 s", "-1s", "1.5s", "5d", "s", "1234567890s", "5S"})
  void rejectsAnythingButAWholeNumberAndAUnit(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a duration: '" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"500,500ms", "0,0s", "5000,5s", "120000,2m", "3600000,1h", "1500,1500ms"})
  void formatsWithTheLargestExactUnit(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
