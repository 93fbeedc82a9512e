package dev.surge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  @ParameterizedTest
  @CsvSource({
    "250m,0.25",
    "1.5,1.5",
    "4,4",
    "512Mi,536870912",
    "7Gi,7516192768",
    "1G,1000000000",
    "2k,2000",
    "1e3,1000",
    "' 64Ki ',65536"
  })
  void valueIsExactInBaseUnits(String text, String expected) {
    assertThat(Quantities.value(text)).isEqualByComparingTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"250m,250", "0.5,500", "2,2000", "0.0001,1"})
  void cpuIsInMillicoresRoundedUp(String text, long millicores) {
    assertThat(Quantities.cpuMillicores(text)).isEqualTo(millicores);
  }

  @ParameterizedTest
  @CsvSource({"256Mi,268435456", "1G,1000000000", "1048576,1048576", "1.5Ki,1536"})
  void memoryIsInBytes(String text, long bytes) {
    assertThat(Quantities.bytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "12 cores", "-1", "1.5.2", "5x"})
  void refusesWhatIsNotAQuantityNamingIt(String text) {
    assertThatThrownBy(() -> Quantities.value(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not a Kubernetes quantity (e.g. 250m, 0.5, 256Mi)");
  }
}
