package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code calibrate}'s flags go through the shared typed converters: bad values exit 2. */
class CalibrateCommandTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--url|ftp://127.0.0.1/x|option '--url': 'ftp://127.0.0.1/x' must start with http://",
        "--metrics-url|http://|option '--metrics-url'",
        "--rate|0|--rate '0.0': must be > 0",
        "--rate|lots|option '--rate': 'lots' is not a number",
        "--duration|0.5s|--duration '0.5s': must be at least 1s",
        "--warmup|later|option '--warmup': 'later' is not a duration",
        "--connections|0|--connections '0': must be >= 1",
        "--max-in-flight|many|option '--max-in-flight': 'many'"
      })
  void rejectsBadValuesWithExit2NamingTheFlag(String flag, String value, String expected) {
    java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
    flags.put("--url", "http://127.0.0.1:9/api/work");
    flags.put("--metrics-url", "http://127.0.0.1:9/metrics");
    flags.put(flag, value);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("calibrate"));
    flags.forEach((k, v) -> args.add(k + "=" + v));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(expected).doesNotContain("\tat ");
  }
}
