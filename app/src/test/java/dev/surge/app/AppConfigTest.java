package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.surge.common.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AppConfigTest {
  private static final Map<String, String> NO_ENV = Map.of("HOSTNAME", "pod-1");

  @Test
  void defaultsMatchTheContract() {
    AppConfig c = AppConfig.parse(List.of(), NO_ENV);
    assertThat(c)
        .usingRecursiveComparison()
        .isEqualTo(
            AppConfig.builder()
                .host("0.0.0.0")
                .port(8080)
                .metricsPort(8081)
                .instance("pod-1")
                .metricsEnabled(true)
                .maxCpuMillis(1000)
                .maxDelayMillis(30000)
                .maxBodyBytes(65536)
                .errorRate(0.0)
                .addedLatency(Duration.ZERO)
                .ready(true)
                .drainDelay(Duration.ofSeconds(5))
                .shutdownTimeout(Duration.ofSeconds(20))
                .adminEnabled(true)
                .build());
    assertThat(c.adminToken().isSet()).isFalse();
    assertThat(c.adminTokenFile()).isEmpty();
  }

  private static final List<String> EVERY_FLAG =
      List.of(
          "--host", "127.0.0.1",
          "--port", "0",
          "--metrics-port", "9100",
          "--instance", "surge-abc-12",
          "--metrics", "false",
          "--max-cpu-millis", "50",
          "--max-delay-millis", "900",
          "--max-body-bytes", "1024",
          "--error-rate", "0.25",
          "--added-latency", "250ms",
          "--ready", "false",
          "--drain-delay", "2m",
          "--shutdown-timeout", "1h",
          "--admin", "false");

  private static final AppConfig EVERY_VALUE =
      AppConfig.builder()
          .host("127.0.0.1")
          .port(0)
          .metricsPort(9100)
          .instance("surge-abc-12")
          .metricsEnabled(false)
          .maxCpuMillis(50)
          .maxDelayMillis(900)
          .maxBodyBytes(1024)
          .errorRate(0.25)
          .addedLatency(Duration.ofMillis(250))
          .ready(false)
          .drainDelay(Duration.ofMinutes(2))
          .shutdownTimeout(Duration.ofHours(1))
          .adminEnabled(false)
          .build();

  @Test
  void readsEveryFlag() {
    assertThat(AppConfig.parse(EVERY_FLAG, NO_ENV))
        .usingRecursiveComparison()
        .isEqualTo(EVERY_VALUE);
  }

  @Test
  void readsEveryFlagInItsEqualsForm() {
    List<String> joined = new java.util.ArrayList<>();
    for (int i = 0; i < EVERY_FLAG.size(); i += 2) {
      joined.add(EVERY_FLAG.get(i) + "=" + EVERY_FLAG.get(i + 1));
    }
    assertThat(AppConfig.parse(joined, NO_ENV)).usingRecursiveComparison().isEqualTo(EVERY_VALUE);
  }

  @Test
  void readsEverySettingFromSurgeEnvironmentVariables() {
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < EVERY_FLAG.size(); i += 2) {
      String name =
          "SURGE_"
              + EVERY_FLAG.get(i).substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
      env.put(name, EVERY_FLAG.get(i + 1));
    }
    assertThat(env)
        .containsKeys("SURGE_METRICS_PORT", "SURGE_MAX_CPU_MILLIS", "SURGE_SHUTDOWN_TIMEOUT");
    assertThat(AppConfig.parse(List.of(), env)).usingRecursiveComparison().isEqualTo(EVERY_VALUE);
  }

  @Test
  void flagsWinOverEnvironment() {
    AppConfig c =
        AppConfig.parse(
            List.of("--port", "9000"), Map.of("SURGE_PORT", "9001", "SURGE_METRICS_PORT", "9002"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.metricsPort()).isEqualTo(9002);
  }

  @Test
  void aBooleanFlagAloneMeansTrue() {
    AppConfig c =
        AppConfig.parse(
            List.of("--metrics", "--ready"), Map.of("SURGE_METRICS", "false", "HOSTNAME", "h"));
    assertThat(c.metricsEnabled()).isTrue();
    assertThat(c.ready()).isTrue();
  }

  @Test
  void instanceDefaultsToHostnameVariable() {
    assertThat(AppConfig.parse(List.of(), Map.of("HOSTNAME", "surge-7d9f-xk2p")).instance())
        .isEqualTo("surge-7d9f-xk2p");
  }

  @Test
  void instanceFallsBackToTheHostNameWithoutHostnameVariable() {
    assertThat(AppConfig.parse(List.of(), Map.of()).instance())
        .matches("[A-Za-z0-9][A-Za-z0-9._-]*");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--port|abc|Invalid value for option '--port': 'abc' is not an integer from 0 to 65535",
        "--port|65536|Invalid value for option '--port': '65536' is not an integer from 0 to 65535",
        "--port|-1|Invalid value for option '--port': '-1' is not an integer from 0 to 65535",
        "--metrics-port|8080|Invalid value for option '--metrics-port': '8080' must differ from --port",
        "--metrics-port|x|Invalid value for option '--metrics-port': 'x' is not an integer from 0 to 65535",
        "--host|' '|Invalid value for option '--host': ' ' is not an address or host name",
        "--instance|a b|Invalid value for option '--instance': 'a b' is not letters, digits, '.', '_' or '-' (at most 253)",
        "--metrics|yes|Invalid value for option '--metrics': 'yes' is not true or false",
        "--ready|1|Invalid value for option '--ready': '1' is not true or false",
        "--max-cpu-millis|-5|Invalid value for option '--max-cpu-millis': '-5' is not an integer from 0 to 3600000",
        "--max-delay-millis|1.5|Invalid value for option '--max-delay-millis': '1.5' is not an integer from 0 to 3600000",
        "--max-body-bytes|0|Invalid value for option '--max-body-bytes': '0' is not an integer from 1 to 67108864",
        "--error-rate|1.5|Invalid value for option '--error-rate': '1.5' is not a number from 0 to 1",
        "--error-rate|NaN|Invalid value for option '--error-rate': 'NaN' is not a number from 0 to 1",
        "--error-rate|lots|Invalid value for option '--error-rate': 'lots' is not a number from 0 to 1",
        "--added-latency|5|Invalid value for option '--added-latency': '5' is not a duration such as 500ms, 5s, 2m or 1h",
        "--added-latency|31s|Invalid value for option '--added-latency': '31s' must not exceed --max-delay-millis (30000)",
        "--drain-delay|5|Invalid value for option '--drain-delay': '5' is not a duration such as 500ms, 5s, 2m or 1h",
        "--drain-delay|-5s|Invalid value for option '--drain-delay': '-5s' is not a duration such as 500ms, 5s, 2m or 1h",
        "--shutdown-timeout|20 s|Invalid value for option '--shutdown-timeout': '20 s' is not a duration such as 500ms, 5s, 2m or 1h",
        "--admin|no|Invalid value for option '--admin': 'no' is not true or false",
      })
  void rejectsABadFlagValueNamingTheFlagAndTheValue(String flag, String value, String message) {
    assertThatThrownBy(() -> AppConfig.parse(List.of(flag, value), NO_ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "500ms, 500",
    "5s, 5000",
    "2m, 120000",
    "1h, 3600000",
    "1.5s, 1500",
    "1m30s, 90000",
    "0ms, 0"
  })
  void acceptsTheSharedDurationSyntaxIncludingEverythingTheAppAcceptedBefore(
      String text, long millis) {
    assertThat(AppConfig.parse(List.of("--drain-delay", text), NO_ENV).drainDelay())
        .isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void readsTheAdminTokenFromTheFileWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "s3cret-Token\n");
    AppConfig c = AppConfig.parse(List.of("--admin-token-file", file.toString()), NO_ENV);
    assertThat(c.adminToken().isSet()).isTrue();
    assertThat(c.adminToken().value()).isEqualTo("s3cret-Token");
    assertThat(c.adminTokenFile()).contains(file);
    assertThat(c.toString()).doesNotContain("s3cret").contains("AdminToken[set]");
  }

  @Test
  void readsTheAdminTokenFileFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "abc");
    AppConfig c =
        AppConfig.parse(
            List.of(), Map.of("SURGE_ADMIN_TOKEN_FILE", file.toString(), "HOSTNAME", "h"));
    assertThat(c.adminToken().value()).isEqualTo("abc");
  }

  @Test
  void aMissingTokenFileLocksTheAdminEndpoints(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    AppConfig c = AppConfig.parse(List.of("--admin-token-file", missing.toString()), NO_ENV);
    assertThat(c.adminToken().isLocked()).isTrue();
    assertThat(c.adminToken().isSet()).isFalse();
    assertThat(c.adminToken().lockedBy()).hasValue(missing);
    assertThat(c.adminToken()).hasToString("AdminToken[locked]");
  }

  @Test
  void rejectsAnEmptyTokenFileNamingTheVariable(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), " \n");
    assertThatThrownBy(
            () -> AppConfig.parse(List.of(), Map.of("SURGE_ADMIN_TOKEN_FILE", file.toString())))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "SURGE_ADMIN_TOKEN_FILE="
                + file
                + ": Invalid value for option '--admin-token-file': '"
                + file
                + "' is not a token file: the file is empty");
  }

  @Test
  void rejectsATokenWithSpaces(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "two words");
    assertThatThrownBy(
            () -> AppConfig.parse(List.of("--admin-token-file", file.toString()), NO_ENV))
        .hasMessageEndingWith(
            "the token contains white space or control characters (one line, no spaces)")
        .hasMessageNotContaining("two words");
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidBuilders")
  void builderRefusesABadValueWithAnExactMessage(
      java.util.function.UnaryOperator<AppConfig.Builder> setting, String message) {
    assertThatThrownBy(() -> setting.apply(AppConfig.builder().instance("h")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  static java.util.stream.Stream<Arguments> invalidBuilders() {
    return java.util.stream.Stream.of(
        arguments(
            b(b -> b.port(70000)),
            "Invalid value for option '--port': '70000' is not an integer from 0 to 65535"),
        arguments(
            b(b -> b.port(9000).metricsPort(9000)),
            "Invalid value for option '--metrics-port': '9000' must differ from --port"),
        arguments(
            b(b -> b.host(" ")),
            "Invalid value for option '--host': ' ' is not an address or host name"),
        arguments(
            b(b -> b.instance("a/b")),
            "Invalid value for option '--instance': 'a/b' is not letters, digits, '.', '_' or '-' (at most 253)"),
        arguments(
            b(b -> b.errorRate(-0.1)),
            "Invalid value for option '--error-rate': '-0.1' is not a number from 0 to 1"),
        arguments(
            b(b -> b.maxBodyBytes(0)),
            "Invalid value for option '--max-body-bytes': '0' is not an integer from 1 to 67108864"),
        arguments(
            b(b -> b.drainDelay(Duration.ofSeconds(-1))),
            "Invalid value for option '--drain-delay': 'PT-1S' is not a duration such as 500ms, 5s, 2m or 1h"),
        arguments(
            b(b -> b.maxDelayMillis(100).addedLatency(Duration.ofMillis(250))),
            "Invalid value for option '--added-latency': '250ms' must not exceed --max-delay-millis (100)"));
  }

  private static java.util.function.UnaryOperator<AppConfig.Builder> b(
      java.util.function.UnaryOperator<AppConfig.Builder> f) {
    return f;
  }

  @Test
  void rejectsABadEnvironmentValueNamingTheVariable() {
    assertThatThrownBy(() -> AppConfig.parse(List.of(), Map.of("SURGE_DRAIN_DELAY", "soon")))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "SURGE_DRAIN_DELAY=soon: Invalid value for option '--drain-delay': 'soon' is not a"
                + " duration such as 500ms, 5s, 2m or 1h");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SURGE_PORT|abc|Invalid value for option '--port': 'abc' is not an integer from 0 to 65535",
        "SURGE_METRICS_PORT|8080|Invalid value for option '--metrics-port': '8080' must differ from --port",
        "SURGE_READY|maybe|Invalid value for option '--ready': 'maybe' is not true or false",
        "SURGE_ERROR_RATE|2|Invalid value for option '--error-rate': '2' is not a number from 0 to 1",
        "SURGE_INSTANCE|a b|Invalid value for option '--instance': 'a b' is not letters, digits, '.', '_' or '-' (at most 253)",
        "SURGE_ADDED_LATENCY|31s|Invalid value for option '--added-latency': '31s' must not exceed --max-delay-millis (30000)",
      })
  void aBadValueFromTheEnvironmentNamesTheVariableAndItsValue(
      String variable, String value, String message) {
    assertThatThrownBy(() -> AppConfig.parse(List.of(), Map.of(variable, value, "HOSTNAME", "h")))
        .isInstanceOf(UsageException.class)
        .hasMessage(variable + "=" + value + ": " + message);
  }

  @Test
  void aBadFlagValueNamesNoVariableEvenWhenTheEnvironmentHasOne() {
    assertThatThrownBy(
            () ->
                AppConfig.parse(List.of("--port", "x"), Map.of("SURGE_PORT", "y", "HOSTNAME", "h")))
        .hasMessage("Invalid value for option '--port': 'x' is not an integer from 0 to 65535");
  }

  @Test
  void aFlagHidesABadEnvironmentValue() {
    assertThat(
            AppConfig.parse(List.of("--port", "9000"), Map.of("SURGE_PORT", "abc", "HOSTNAME", "h"))
                .port())
        .isEqualTo(9000);
  }

  @Test
  void builderDefaultsAreTheTableOfDefaults() {
    AppConfig built = AppConfig.builder().instance("h").build();
    AppConfig parsed = AppConfig.parse(List.of(), Map.of("HOSTNAME", "h"));
    assertThat(built).isEqualTo(parsed);
  }

  @Test
  void rejectsAnUnknownFlag() {
    assertThatThrownBy(() -> AppConfig.parse(List.of("--prot", "1"), NO_ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage("Unknown flag '--prot'");
  }

  @Test
  void rejectsAPositionalArgument() {
    assertThatThrownBy(() -> AppConfig.parse(List.of("8080"), NO_ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage("Unexpected argument '8080': every setting is a --flag");
  }

  @Test
  void rejectsAFlagWithoutItsValue() {
    assertThatThrownBy(() -> AppConfig.parse(List.of("--port"), NO_ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage("Missing required parameter for option '--port' (<port>)");
  }

  @Test
  void ignoresUnrelatedEnvironmentVariables() {
    assertThat(
            AppConfig.parse(List.of(), Map.of("SURGE_LOADGEN_RATE", "x", "HOSTNAME", "h")).port())
        .isEqualTo(8080);
  }

  @Test
  void bothPortsMayBeZero() {
    AppConfig c = AppConfig.parse(List.of("--port", "0", "--metrics-port", "0"), NO_ENV);
    assertThat(c.port()).isZero();
    assertThat(c.metricsPort()).isZero();
  }

  @Test
  void usageListsEveryFlagAndTheEnvironmentRule() {
    String usage = AppConfig.usage();
    for (AppConfig.Flag f : AppConfig.Flag.values()) {
      assertThat(usage).contains(f.flag);
    }
    assertThat(usage).contains("SURGE_<FLAG>");
  }

  /** Argument lists and environments the common path must read exactly as picocli does. */
  static List<Arguments> commonCases() {
    Map<String, String> env =
        Map.of("HOSTNAME", "pod-1", "SURGE_ERROR_RATE", "0.5", "SURGE_DRAIN_DELAY", "1s");
    return List.of(
        arguments(List.of(), NO_ENV),
        arguments(List.of(), Map.of()),
        arguments(EVERY_FLAG.stream().filter(a -> !a.equals("false")).toList(), NO_ENV),
        arguments(
            List.of(
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--instance", "p-1"),
            NO_ENV),
        arguments(List.of("--port=0", "--metrics-port=0", "--drain-delay=0ms"), NO_ENV),
        arguments(List.of("--metrics=false", "--ready=FALSE", "--admin=false"), NO_ENV),
        arguments(List.of("--metrics", "--port", "9000"), NO_ENV),
        arguments(List.of("--port", "9000", "--ready"), NO_ENV),
        arguments(List.of("--error-rate", "0.1"), env),
        arguments(List.of("--instance", "a.b_c-9", "--added-latency", "1.5s"), env),
        arguments(List.of(), Map.of("SURGE_PORT", "", "SURGE_HOST", " 10.0.0.1 ")),
        arguments(List.of("--host", " ::1 "), Map.of("SURGE_INSTANCE", "from-env")),
        // the flag wins, and the variable it overrides is not read
        arguments(List.of("--port", "9000"), Map.of("SURGE_PORT", "abc")));
  }

  @ParameterizedTest
  @MethodSource("commonCases")
  void theCommonPathReadsWhatPicocliReads(List<String> args, Map<String, String> env) {
    assertThat(AppConfig.parseCommon(args, env))
        .as("the common path takes %s", args)
        .get()
        .usingRecursiveComparison()
        .isEqualTo(AppConfig.parseWithPicocli(args, env));
  }

  @Test
  void theCommonPathReadsTheAdminTokenFileAsPicocliDoes(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "s3cret\n");
    List<String> args = List.of("--admin-token-file", file.toString());
    assertThat(AppConfig.parseCommon(args, NO_ENV))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(AppConfig.parseWithPicocli(args, NO_ENV));
  }

  /** What the common path leaves to picocli: picocli then says what is wrong, or reads it. */
  static List<Arguments> picocliCases() {
    return List.of(
        arguments(List.of("--nope", "1"), NO_ENV),
        arguments(List.of("extra"), NO_ENV),
        arguments(List.of("--port"), NO_ENV),
        arguments(List.of("--port", "-1"), NO_ENV),
        arguments(List.of("--port="), NO_ENV),
        arguments(List.of("--port", "1", "--port", "2"), NO_ENV),
        arguments(List.of("--port", "abc"), NO_ENV),
        arguments(List.of("--metrics", "false"), NO_ENV),
        arguments(List.of("-h"), NO_ENV),
        arguments(List.of("--port", "1", "--metrics-port", "1"), NO_ENV),
        arguments(List.of(), Map.of("SURGE_PORT", "abc")),
        arguments(List.of(), Map.of("SURGE_ADDED_LATENCY", "1h")));
  }

  @ParameterizedTest
  @MethodSource("picocliCases")
  void anythingUnusualOrRefusedIsLeftToPicocli(List<String> args, Map<String, String> env) {
    assertThat(AppConfig.parseCommon(args, env)).as("%s %s", args, env).isEmpty();
  }
}
