package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.Version;
import dev.surge.common.cli.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .code();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exitsTwoOnABadFlagNamingTheFlagAndValueWithoutATrace() {
    assertThat(run(Map.of(), "--port", "eighty")).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "surge-app: Invalid value for option '--port': 'eighty' is not an integer from 0 to"
                + " 65535\n"
                + "Run with --help for the flags.\n");
  }

  @Test
  void exitsTwoOnABadEnvironmentVariable() {
    assertThat(run(Map.of("SURGE_ERROR_RATE", "2"))).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "surge-app: SURGE_ERROR_RATE=2: Invalid value for option '--error-rate': '2' is not a"
                + " number from 0 to 1\n");
  }

  @Test
  void exitsTwoOnAnUnknownFlag() {
    assertThat(run(Map.of(), "--bogus")).isEqualTo(2);
    assertThat(err())
        .startsWith("surge-app: Unknown flag '--bogus'\n")
        .doesNotContain("at dev.surge");
  }

  @Test
  void exitsTwoNamingTheVariableWhenTheTokenFileIsEmpty(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("token"), "\n");
    assertThat(run(Map.of("SURGE_ADMIN_TOKEN_FILE", empty.toString()))).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "surge-app: SURGE_ADMIN_TOKEN_FILE="
                + empty
                + ": Invalid value for option '--admin-token-file': '"
                + empty
                + "' is not a token file: the file is empty\n");
  }

  @Test
  void aBugExitsSeventyWithItsStackTrace() {
    // A null environment is not something a user can do: it stands for any bug below run().
    assertThat(run(null, "--port", "0")).isEqualTo(70);
    assertThat(err())
        .startsWith("surge-app: unexpected java.lang.NullPointerException")
        .contains("This is a bug in surge", "\tat ");
  }

  @Test
  void printsHelpAndExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--metrics-port", "--drain-delay", "--admin-token-file", "--admin");
  }

  @Test
  void printsTheVersion() {
    assertThat(run(Map.of(), "--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("surge-app " + Version.get() + "\n");
  }

  @Test
  void exitsWithUsageWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      assertThat(
              run(
                  Map.of(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--metrics-port",
                  "0"))
          .isEqualTo(ExitCode.USAGE.code());
      assertThat(err())
          .startsWith("surge-app: cannot listen on --port " + port + " at 127.0.0.1: ");
    }
  }

  @Test
  void versionComesFromTheBuild() {
    assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*");
  }
}
