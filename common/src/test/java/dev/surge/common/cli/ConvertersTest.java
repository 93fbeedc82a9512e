package dev.surge.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @ParameterizedTest
  @CsvSource({"0,0.0", "0.04,0.04", "1e-3,0.001", " 2 ,2.0"})
  void nonNegativeNumberAcceptsFiniteNumbersFromZero(String in, double expected) {
    assertThat(new Converters.NonNegativeNumber().convert(in)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "-1,'-1' must be a finite number >= 0",
    "NaN,'NaN' must be a finite number >= 0",
    "Infinity,'Infinity' must be a finite number >= 0",
    "cheap,'cheap' is not a number"
  })
  void nonNegativeNumberRefusesTheRestNamingTheValue(String in, String message) {
    assertThatThrownBy(() -> new Converters.NonNegativeNumber().convert(in))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(message);
  }
}
