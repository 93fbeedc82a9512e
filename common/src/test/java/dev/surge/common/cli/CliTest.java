package dev.surge.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {

  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--hold", converter = Converters.Seconds.class)
    double hold = 1;

    @Option(names = "--cpu", converter = Converters.Millicores.class)
    long cpu = 100;

    @Option(names = "--memory", converter = Converters.Bytes.class)
    long memory = 0;

    @Option(names = "--rate", converter = Converters.Rate.class)
    double rate = 0;

    @Option(names = "--url", converter = Converters.HttpUrl.class)
    URI url;

    @Option(names = "--fail")
    String fail = "";

    @Override
    public Integer call() {
      switch (fail) {
        case "usage" -> throw new UsageException("--fail 'usage': told to");
        case "iae" -> throw new IllegalArgumentException("a library's complaint");
        default -> {}
      }
      return ExitCode.OK.code();
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    Probe probe = new Probe();
    CommandLine cli =
        Cli.configure(
            new CommandLine(probe),
            "SURGE_TEST_",
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    int code = cli.execute(args);
    lastProbe = probe;
    return code;
  }

  private Probe lastProbe;

  @Test
  void convertsEveryTypedValue() {
    assertThat(
            run(
                Map.of(),
                "--hold",
                "1m30s",
                "--cpu",
                "250m",
                "--memory",
                "64Mi",
                "--rate",
                "2.5",
                "--url",
                "http://127.0.0.1:8080/x"))
        .isZero();
    assertThat(lastProbe.hold).isEqualTo(90.0);
    assertThat(lastProbe.cpu).isEqualTo(250);
    assertThat(lastProbe.memory).isEqualTo(64L * 1024 * 1024);
    assertThat(lastProbe.rate).isEqualTo(2.5);
    assertThat(lastProbe.url.getPort()).isEqualTo(8080);
  }

  @Test
  void badValueIsAUsageErrorNamingTheFlag() {
    assertThat(run(Map.of(), "--hold", "5x")).isEqualTo(2);
    assertThat(err.toString()).contains("--hold").contains("5x").doesNotContain("at dev.surge");
  }

  @Test
  void urlWithoutHttpSchemeIsRefused() {
    assertThat(run(Map.of(), "--url", "ftp://x")).isEqualTo(2);
    assertThat(err.toString()).contains("--url").contains("must start with http:// or https://");
  }

  @Test
  void negativeRateIsRefused() {
    assertThat(run(Map.of(), "--rate", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--rate").contains("must be a finite number >= 0");
  }

  @Test
  void environmentFillsAnOptionTheCommandLineLeftOut() {
    assertThat(run(Map.of("SURGE_TEST_CPU", "2"), "--hold", "3s")).as(err::toString).isZero();
    assertThat(lastProbe.cpu).isEqualTo(2000);
    assertThat(run(Map.of("SURGE_TEST_CPU", "2"), "--cpu", "1")).isZero();
    assertThat(lastProbe.cpu).as("the flag wins over the environment").isEqualTo(1000);
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    assertThat(run(Map.of("SURGE_TEST_HOLD", "soon"))).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "error: SURGE_TEST_HOLD=soon: Invalid value for option '--hold': 'soon' is not a"
                + " duration");
  }

  @Test
  void aBadValueOnTheCommandLineDoesNotNameTheVariable() {
    assertThat(run(Map.of("SURGE_TEST_HOLD", "soon"), "--hold", "5x")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: Invalid value for option '--hold': '5x' is not a duration")
        .doesNotContain("SURGE_TEST_HOLD");
  }

  @Test
  void usageExceptionExitsTwoWithoutATrace() {
    assertThat(run(Map.of(), "--fail", "usage")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: --fail 'usage': told to" + System.lineSeparator());
  }

  @Test
  void anyOtherExceptionIsABugWithItsTrace() {
    assertThat(run(Map.of(), "--fail", "iae")).isEqualTo(70);
    assertThat(err.toString())
        .contains("This is a bug in surge")
        .contains("a library's complaint")
        .contains("at dev.surge.common.cli.CliTest$Probe.call");
  }

  @Test
  void fromInvalidNamesTheContext() {
    UsageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UsageException.class,
            () ->
                UsageException.fromInvalid(
                    "--replicas",
                    () -> {
                      throw new IllegalArgumentException("must be >= 1");
                    }));
    assertThat(e).hasMessage("--replicas: must be >= 1");
  }
}
