package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulateCommandTest {
  static final String MANIFEST =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: surge}
      spec:
        template:
          spec:
            containers:
            - name: app
              resources: {requests: {cpu: 250m, memory: 256Mi}}
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: surge}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: surge}
        minReplicas: 1
        maxReplicas: 10
        metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
      """;

  @TempDir Path dir;

  static Path manifest(Path dir) throws Exception {
    Path file = dir.resolve("hpa.yaml");
    Files.writeString(file, MANIFEST);
    return file;
  }

  @Test
  void printsTheTimelineAndWritesJson() throws Exception {
    Path out = dir.resolve("sim.json");
    CliRunner r =
        CliRunner.run(
            "simulate",
            "--hpa",
            manifest(dir).toString(),
            "--cpu-per-request",
            "20ms",
            "--profile",
            "hold:25/5m",
            "--tail",
            "6m",
            "--price-vcpu-hour",
            "0.04",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("first scale-up:   15s").contains("plateau (4)");
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.path("summary").path("peakReplicas").asInt()).isEqualTo(4);
    assertThat(json.path("summary").path("backToMinSeconds").asDouble())
        .isGreaterThanOrEqualTo(600);
    assertThat(json.path("timeline").size()).isEqualTo(11 * 4 + 1);
    assertThat(json.path("input").path("cpuRequestMillicores").asInt()).isEqualTo(250);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--cpu-per-request|20|--cpu-per-request '20'",
        "--profile|ramp:0->x/1m|--profile 'ramp:0->x/1m'",
        "--startup|soon|--startup 'soon'",
        "--price-vcpu-hour|-1|--price-vcpu-hour '-1'",
        "--cpu-request|lots|--cpu-request 'lots'",
        "--tolerance|1.5|--tolerance '1.5'",
        "--out|/nonexistent/dir/sim.json|--out '/nonexistent/dir/sim.json': cannot write"
      })
  void rejectsBadValuesWithExit2NamingTheFlag(String flag, String value, String expected)
      throws Exception {
    String hpa = manifest(dir).toString();
    java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
    flags.put("--hpa", hpa);
    flags.put("--cpu-per-request", "20ms");
    flags.put("--profile", "hold:5/1m");
    flags.put(flag, value);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("simulate"));
    flags.forEach((k, v) -> args.add(k + "=" + v));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void rejectsAMissingManifestWithExit2() {
    CliRunner r =
        CliRunner.run(
            "simulate",
            "--hpa",
            dir.resolve("nope.yaml").toString(),
            "--cpu-per-request",
            "20ms",
            "--rate",
            "5");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hpa '").contains("no such file or directory");
  }
}
