package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.Version;
import dev.surge.common.cli.UsageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The exit codes every command shares: 2 for a user's mistake, 70 with the trace for a bug. */
class SurgeLoadgenTest {
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @CommandLine.Option(names = "--fail")
    String fail = "";

    @Override
    public Integer call() {
      return switch (fail) {
        case "usage" -> throw new UsageException("--fail 'usage': told to");
        case "iae" -> throw new IllegalArgumentException("an unchecked argument deep inside");
        case "npe" -> throw new NullPointerException("a bug");
        default -> 0;
      };
    }
  }

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli =
        SurgeLoadgen.commandLine(
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of());
    cli.addSubcommand("probe", new Probe());
    // A subcommand added afterwards gets the process's streams; hand it the captured one again.
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void versionIsTheProjectVersion() {
    StringWriter out = new StringWriter();
    CommandLine cli =
        SurgeLoadgen.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    assertThat(cli.execute("--version")).isZero();
    assertThat(out.toString()).isEqualTo("surge-loadgen " + Version.get() + System.lineSeparator());
  }

  /** As the jar runs it: {@code Main} builds the command line for its arguments. */
  private static dev.surge.loadgen.testing.Cli.Result jar(String... args) {
    return dev.surge.loadgen.testing.Cli.run(args);
  }

  @Test
  void theRootHelpListsEveryCommandThoughARunBuildsOnlyItsOwn() {
    String help = jar("--help").out();
    for (String c : new String[] {"run", "merge", "calibrate", "plan", "simulate", "report"}) {
      assertThat(help).contains("  " + c + " ");
    }
    assertThat(help).contains("doctor").contains("help");
    assertThat(jar("help", "run").out()).startsWith("Usage: surge-loadgen run ");
    assertThat(jar("run", "--help").out()).startsWith("Usage: surge-loadgen run ");
    dev.surge.loadgen.testing.Cli.Result typo = jar("rn");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("'rn'");
  }

  @Test
  void usageExceptionExitsTwoWithOneLineAndNoTrace() {
    assertThat(run("probe", "--fail", "usage")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: --fail 'usage': told to" + System.lineSeparator());
  }

  @Test
  void aBugExitsSeventyWithItsStackTrace() {
    assertThat(run("probe", "--fail", "npe")).isEqualTo(70);
    assertThat(err.toString())
        .contains("This is a bug in surge")
        .contains("java.lang.NullPointerException: a bug")
        .contains("at dev.surge.loadgen.cli.SurgeLoadgenTest$Probe.call");
  }

  @Test
  void anIllegalArgumentExceptionIsABugToo() {
    assertThat(run("probe", "--fail", "iae")).isEqualTo(70);
    assertThat(err.toString()).contains("an unchecked argument deep inside").contains("\tat ");
  }

  @Test
  void unknownOptionIsAUsageErrorNamingIt() {
    assertThat(run("probe", "--fial", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--fial").doesNotContain("\tat ");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
  }
}
