package dev.surge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusLabelTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "200, 200", "201, 2xx", "204, 2xx", "302, 3xx", "400, 400", "401, 401", "404, 404",
    "405, 405", "409, 409", "413, 413", "418, 4xx", "429, 429", "500, 500", "501, 5xx",
    "502, 502", "503, 503", "504, 504", "599, 5xx", "100, 1xx", "0, 1xx", "999, 5xx"
  })
  void keepsTheAppsAndTheCommonCodesAndFoldsTheRestIntoTheirClass(int status, String label) {
    assertThat(StatusLabel.of(status)).isEqualTo(label);
  }

  @Test
  void everyValueKeepsItsClassDigitFirstSoRegexOnTheClassStillWorks() {
    Set<String> seen = new HashSet<>();
    for (int status = 100; status <= 599; status++) {
      String label = StatusLabel.of(status);
      seen.add(label);
      assertThat(label).hasSize(3).startsWith(Integer.toString(status / 100));
      int index = StatusLabel.index(status);
      assertThat(StatusLabel.CLASSES.get(StatusLabel.classIndex(index)))
          .isEqualTo(status / 100 + "xx");
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(StatusLabel.VALUES);
    assertThat(StatusLabel.VALUES).hasSize(17);
  }
}
