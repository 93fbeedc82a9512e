package dev.surge.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

class EnvDefaultsTest {
  @Command(name = "probe")
  static final class Probe {
    @Option(names = "--max-in-flight")
    int maxInFlight = 1;
  }

  private static final EnvDefaults ENV =
      new EnvDefaults("SURGE_TEST_", Map.of("SURGE_TEST_MAX_IN_FLIGHT", "7"));

  private static ParseResult parse(String... args) {
    CommandLine cli = new CommandLine(new Probe());
    cli.setDefaultValueProvider(ENV);
    return cli.parseArgs(args);
  }

  private static OptionSpec option(ParseResult parsed) {
    return parsed.commandSpec().findOption("--max-in-flight");
  }

  @Test
  void mapsAnOptionToItsVariable() {
    assertThat(ENV.variable("--max-in-flight")).isEqualTo("SURGE_TEST_MAX_IN_FLIGHT");
  }

  @Test
  void namesTheVariableWhenTheEnvironmentGaveTheValue() {
    ParseResult parsed = parse();
    assertThat(option(parsed).<Integer>getValue()).isEqualTo(7);
    assertThat(ENV.origin(option(parsed), parsed.hasMatchedOption("--max-in-flight")))
        .contains("SURGE_TEST_MAX_IN_FLIGHT=7");
    assertThat(ENV.naming(option(parsed), parsed.hasMatchedOption("--max-in-flight"), "too many"))
        .isEqualTo("SURGE_TEST_MAX_IN_FLIGHT=7: too many");
  }

  @Test
  void namesNothingWhenTheFlagGaveTheValue() {
    ParseResult parsed = parse("--max-in-flight", "3");
    assertThat(option(parsed).<Integer>getValue()).isEqualTo(3);
    assertThat(ENV.origin(option(parsed), parsed.hasMatchedOption("--max-in-flight"))).isEmpty();
    assertThat(ENV.naming(option(parsed), parsed.hasMatchedOption("--max-in-flight"), "too many"))
        .isEqualTo("too many");
  }

  @Test
  void namesNothingWhenTheVariableIsEmptyOrMissing() {
    EnvDefaults empty = new EnvDefaults("SURGE_TEST_", Map.of("SURGE_TEST_MAX_IN_FLIGHT", ""));
    ParseResult parsed = parse();
    assertThat(empty.origin(option(parsed), false)).isEmpty();
    assertThat(new EnvDefaults("SURGE_TEST_", Map.of()).origin(option(parsed), false)).isEmpty();
  }
}
