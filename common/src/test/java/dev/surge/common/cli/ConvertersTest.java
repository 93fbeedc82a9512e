package dev.surge.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  enum Colour {
    RED,
    GREEN;

    static Colour parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + s + "' is not a colour (red or green)", e);
      }
    }
  }

  static final class ColourConverter extends Converters.Parsed<Colour> {
    ColourConverter() {
      super(Colour::parse);
    }
  }

  @ParameterizedTest
  @CsvSource({"off,0.0", "OFF,0.0", " Off ,0.0", "10s,10.0", "250ms,0.25", "0s,0.0"})
  void secondsOrOffReadsOffAsZero(String text, double seconds) {
    assertThat(new Converters.SecondsOrOff().convert(text)).isEqualTo(seconds);
  }

  @ParameterizedTest
  @ValueSource(strings = {"never", "10", "-1s", ""})
  void secondsOrOffRefusesWhatIsNeitherNamingTheValue(String text) {
    assertThatThrownBy(() -> new Converters.SecondsOrOff().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining(text.isEmpty() ? "empty duration" : "'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fast|'fast' is not a number (requests per second)",
        "-5|'-5' must be a finite number >= 0 (requests per second)",
        "Infinity|'Infinity' must be a finite number >= 0 (requests per second)",
        "NaN|'NaN' must be a finite number >= 0 (requests per second)"
      })
  void rateMessageNamesTheValue(String text, String message) {
    assertThatThrownBy(() -> new Converters.Rate().convert(text)).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://x/y|'ftp://x/y' must start with http:// or https://",
        "notaurl|'notaurl' must start with http:// or https://",
        "http:///path|'http:///path' has no host",
        "http://a b/|'http://a b/' is not a URL: Illegal character in authority"
      })
  void urlMessageNamesTheValue(String text, String message) {
    assertThatThrownBy(() -> new Converters.HttpUrl().convert(text)).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"red,RED", "Green,GREEN"})
  void parsedAdaptsAParser(String text, Colour expected) {
    ITypeConverter<Colour> c = new ColourConverter();
    assertThat(catching(c, text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"blue", ""})
  void parsedTurnsTheParsersRefusalIntoAConversionErrorWithItsMessage(String text) {
    assertThatThrownBy(() -> new ColourConverter().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a colour (red or green)");
  }

  private static <T> T catching(ITypeConverter<T> c, String text) {
    try {
      return c.convert(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

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
        .isInstanceOf(picocli.CommandLine.TypeConversionException.class)
        .hasMessage(message);
  }
}
