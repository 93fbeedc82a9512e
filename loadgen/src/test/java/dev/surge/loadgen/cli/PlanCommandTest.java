package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.profile.RateProfile;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheRatesAndAProfileThatRunAccepts() throws Exception {
    // 250m request at 50 % = 125m per pod; 20 ms per request → 6.25 req/s per pod, 31.25 for 5
    CliRunner r =
        CliRunner.run(
            "plan",
            "--hpa",
            SimulateCommandTest.manifest(dir).toString(),
            "--cpu-per-request",
            "20ms",
            "--replicas",
            "5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("one pod at target:        6.25 req/s");
    assertThat(r.out())
        .contains("rate for 5 replicas:      31.25 req/s (5 pods with cpu at its target, 50%)");
    Matcher m = Pattern.compile("--profile \"([^\"]+)\"").matcher(r.out());
    assertThat(m.find()).isTrue();
    RateProfile profile = RateProfile.parse(m.group(1));
    assertThat(profile.peakRate()).isBetween(25.0, 37.5);
    assertThat(r.out())
        .containsPattern(
            "predicted: +first scale-up \\d+s, 5 replicas at \\d+s, back to 1 at \\d+s");
  }

  @ParameterizedTest
  @CsvSource({"0,--replicas '0'", "11,--replicas '11'", "five,option '--replicas': 'five'"})
  void rejectsReplicasOutsideTheHpasRangeWithExit2(String replicas, String expected)
      throws Exception {
    CliRunner r =
        CliRunner.run(
            "plan",
            "--hpa",
            SimulateCommandTest.manifest(dir).toString(),
            "--cpu-per-request",
            "20ms",
            "--replicas",
            replicas);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
  }

  @Test
  void rejectsZeroCpuPerRequestWithExit2() throws Exception {
    CliRunner r =
        CliRunner.run(
            "plan",
            "--hpa",
            SimulateCommandTest.manifest(dir).toString(),
            "--cpu-per-request",
            "0ms",
            "--replicas",
            "2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--cpu-per-request '0s': must be > 0");
  }
}
