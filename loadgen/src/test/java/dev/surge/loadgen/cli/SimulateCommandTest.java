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
        "--cpu-per-request|20|option '--cpu-per-request': '20' is not a duration",
        "--profile|ramp:0->x/1m|--profile 'ramp:0->x/1m'",
        "--startup|soon|option '--startup': 'soon' is not a duration",
        "--price-vcpu-hour|-1|option '--price-vcpu-hour': '-1' must be a finite number >= 0",
        "--cpu-request|lots|option '--cpu-request': 'lots' is not a Kubernetes quantity",
        "--memory-per-pod|much|option '--memory-per-pod': 'much' is not a Kubernetes quantity",
        "--tolerance|1.5|--tolerance '1.5': must be below 1",
        "--initial-replicas|0|--initial-replicas '0': must be >= 1",
        "--sync-period|1.5s|--sync-period '1.5s': must be a whole number of seconds",
        "--rate|fast|option '--rate': 'fast' is not a number",
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

  private CliRunner simulate(String yaml, String... extra) throws Exception {
    Path file = dir.resolve("in.yaml");
    Files.writeString(file, yaml);
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "simulate", "--hpa", file.toString(), "--rate", "20", "--tail", "0s"));
    args.addAll(java.util.List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void rejectsAnUnsupportedMetricSourceNamingIt() throws Exception {
    CliRunner r =
        simulate(
            MANIFEST.replace("- type: Resource", "- type: Cheddar"), "--cpu-per-request", "20ms");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "HorizontalPodAutoscaler surge: spec.metrics[0]: unsupported metric source"
                + " type 'Cheddar'")
        .doesNotContain("\tat ");
  }

  @Test
  void rejectsATriggerItCannotModelNamingIt() throws Exception {
    CliRunner r =
        simulate(
            """
            kind: ScaledObject
            metadata: {name: orders}
            spec:
              scaleTargetRef: {name: consumer}
              triggers:
              - type: rabbitmq
                metadata: {queueName: orders, value: "20"}
            """);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("spec.triggers[0]: trigger type 'rabbitmq' cannot be modelled");
  }

  @Test
  void rejectsATargetThatIsNotInTheInputRatherThanGuessingItsRequests() throws Exception {
    String hpaOnly = MANIFEST.substring(MANIFEST.indexOf("---") + 4);
    CliRunner r = simulate(hpaOnly, "--cpu-per-request", "20ms");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("surge scales Deployment surge, which is not in the input; give --cpu-request");
  }

  @Test
  void aMemoryMetricNeedsTheMemoryPerPod() throws Exception {
    String withMemory =
        MANIFEST
            + """
              - type: Resource
                resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
            """;
    CliRunner r = simulate(withMemory, "--cpu-per-request", "20ms");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("scales on memory; give --memory-per-pod");
    CliRunner ok = simulate(withMemory, "--cpu-per-request", "20ms", "--memory-per-pod", "200Mi");
    assertThat(ok.code()).as(ok.err()).isZero();
    // 200Mi of 256Mi = 78 %: memory proposes the current count, CPU the rest
    assertThat(ok.out()).contains("metrics:  cpu 50% of 250m, memory 80% of 256Mi");
    assertThat(ok.out()).containsPattern("cpu=\\d+ \\(\\d+%\\) memory=\\d+ \\(78%\\)");
  }

  @Test
  void aRequestRateHpaNeedsNoCpuFigures() throws Exception {
    String rps =
        MANIFEST.replace(
            "- type: Resource\n    resource: {name: cpu, target: {type: Utilization,"
                + " averageUtilization: 50}}",
            "- type: Pods\n    pods: {metric: {name: rps}, target: {type: AverageValue,"
                + " averageValue: \"5\"}}");
    assertThat(rps).contains("type: Pods");
    CliRunner r = simulate(rps);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("pods/rps 5/pod (req/s per pod)");
    // 20 req/s at 5 per pod: 4 replicas, driven by the Pods metric
    assertThat(r.out()).containsPattern("\\s4\\s+4\\s+pods/rps\\s");
  }
}
