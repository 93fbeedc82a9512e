package dev.surge.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.Version;
import dev.surge.lab.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input exits 2 with one line naming the flag and the value, before anything starts. */
class LabCommandTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path appJar() throws IOException {
    return Files.writeString(dir.resolve("app.jar"), "not started by these tests");
  }

  private Path manifest(String yaml) throws IOException {
    return Files.writeString(dir.resolve("m.yaml"), yaml);
  }

  private static final String HPA =
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: surge}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: surge}
        minReplicas: 2
        maxReplicas: 4
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
      """;

  private static final String DEPLOYMENT =
      """
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: surge}
      spec:
        template:
          spec:
            containers:
              - name: app
                resources: {requests: {cpu: 100m}}
      """;

  @Test
  void versionIsTheProjectVersion() {
    Result r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("surge-lab " + Version.get() + System.lineSeparator());
  }

  @Test
  void missingAppJarNamesTheFlag() {
    Path missing = dir.resolve("nope.jar");
    Result r = run("run", "--profile", "hold:1/1s", "--app-jar", missing.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--app-jar '" + missing + "': no such file");
    assertThat(r.out()).doesNotContain("service");
  }

  @Test
  void manifestWithoutAnHpaNamesTheFlagAndTheFile() throws IOException {
    Path m = manifest(DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/1s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hpa '" + m + "'").contains("has no HorizontalPodAutoscaler");
  }

  @Test
  void hpaWhoseDeploymentIsAbsentNamesTheTarget() throws IOException {
    Path m = manifest(HPA);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/1s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hpa '" + m + "'").contains("has no Deployment surge");
  }

  @Test
  void replicaCapBelowMinReplicasNamesTheValue() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/1s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString(),
            "--replica-cap",
            "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--replica-cap 1: below the HPA's minReplicas 2");
    assertThat(r.out()).doesNotContain("service ");
  }

  @Test
  void badProfileNamesTheFlagAndNothingStays() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "wobble:9",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--profile 'wobble:9'");
    assertThat(r.out()).doesNotContain("pod ");
  }

  @Test
  void demoTakesRunFlagsThatOverrideItsPreset() throws IOException {
    Path missing = dir.resolve("nope.jar");
    Result r = run("demo", "--app-jar", missing.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--app-jar '" + missing + "'");
  }
}
