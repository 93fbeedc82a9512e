package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command's help renders cleanly: picocli treats descriptions as format strings, so a bare
 * {@code %} makes it print "Could not format" warnings on the process's stderr instead of the help
 * text a user asked for.
 */
class HelpTextTest {
  @ParameterizedTest
  @ValueSource(strings = {"run", "merge", "calibrate", "plan", "simulate", "report", "doctor"})
  void helpPrintsWithoutFormatWarnings(String command) {
    PrintStream original = System.err;
    ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    Cli.Result r;
    try {
      System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
      r = Cli.run(command, "--help");
    } finally {
      System.setErr(original);
    }
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: surge-loadgen " + command);
    assertThat(processErr.toString(StandardCharsets.UTF_8)).doesNotContain("Could not format");
    assertThat(r.out()).doesNotContain("%n").doesNotContain("Could not format");
  }
}
