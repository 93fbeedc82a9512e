package dev.surge.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class VersionProviderTest {
  @Command(
      name = "surge-probe",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class)
  static final class Probe implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void theProjectVersionIsFilteredIntoTheResource() {
    assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("${");
  }

  @Test
  void versionFlagPrintsTheRootCommandNameAndTheProjectVersion() {
    StringWriter out = new StringWriter();
    CommandLine cli =
        Cli.configure(
            new CommandLine(new Probe()),
            "SURGE_PROBE_",
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("--version")).isEqualTo(ExitCode.OK.code());
    assertThat(out.toString()).isEqualTo("surge-probe " + Version.get() + System.lineSeparator());
  }
}
