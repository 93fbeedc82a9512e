package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingOptionsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--hpa=surge/surge|--hpa 'surge/surge': needs --prometheus URL",
        "--prometheus=http://127.0.0.1:9|--prometheus: needs --hpa NAMESPACE/NAME",
        "--prometheus=ftp://x --hpa=surge/surge|Invalid value for option '--prometheus': 'ftp://x' must start with http:// or https://",
        "--prometheus=http://127.0.0.1:9 --hpa=surge|--hpa 'surge': expected NAMESPACE/NAME",
        "--prometheus=http://127.0.0.1:9 --hpa=a/b --scaling-poll=often|Invalid value for option '--scaling-poll': 'often' is not a duration",
        "--prometheus=http://127.0.0.1:9 --hpa=a/b --scaling-poll=50ms|--scaling-poll '50ms': must be at least 100ms",
        "--hpa-manifest=/nonexistent.yaml --cpu-per-request=5ms|--hpa-manifest '/nonexistent.yaml': no such file",
        "--hpa-manifest=/nonexistent.yaml|--hpa-manifest '/nonexistent.yaml': needs --cpu-per-request",
        "--cpu-per-request=5ms|--cpu-per-request '5ms': only with --hpa-manifest"
      })
  void rejectsBadScalingFlagsWithExit2BeforeSending(String flags, String expected) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "run",
                "--url",
                "http://127.0.0.1:9/",
                "--rate",
                "1",
                "--duration",
                "1s",
                "--dry-run"));
    args.addAll(java.util.List.of(flags.split(" ")));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
  }
}
