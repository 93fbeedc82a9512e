package dev.surge.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.Version;
import dev.surge.lab.LabPlan;
import dev.surge.lab.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

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

  /** A real (empty) jar: it passes the jar check; these tests never start it. */
  private Path appJar() throws IOException {
    Path jar = dir.resolve("app.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      j.putNextEntry(new JarEntry("not-started-by-these-tests"));
    }
    return jar;
  }

  /** The run flags every case below shares, with {@code extra} after them. */
  private String[] valid(String... extra) throws IOException {
    return withManifest(manifest(HPA + DEPLOYMENT), extra);
  }

  /** A short run of an empty jar against the manifest {@code m}, with {@code extra} after it. */
  private String[] withManifest(Path m, String... extra) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "run",
            "--profile",
            "hold:1/1s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString()));
    args.addAll(Arrays.asList(extra));
    return args.toArray(new String[0]);
  }

  /** Exit 2, the message, and nothing printed to stdout before it (nothing started). */
  private static void assertUsage(Result r, String message) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999", "-1"})
  void serviceOutsideThePortRangeNamesTheFlag(String port) throws IOException {
    assertUsage(
        run(valid("--service-port", port)), "--service-port " + port + ": must be 0..65535");
  }

  @Test
  void workDirThatIsAFileNamesTheFlag() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertUsage(
        run(valid("--work-dir", file.toString())), "--work-dir '" + file + "': not a directory");
  }

  @Test
  void workDirUnderAFileNamesTheFlag() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path under = file.resolve("logs");
    assertUsage(
        run(valid("--work-dir", under.toString())),
        "--work-dir '" + under + "': " + file + " is not a directory");
  }

  @Test
  void unwritableWorkDirNamesTheFlag() throws IOException {
    // /proc takes no new file from anyone, root included (for whom access(2) says writable), so
    // this runs as root in CI too.
    Path logs = Path.of("/proc/surge-lab-test/logs");
    assertUsage(
        run(valid("--work-dir", logs.toString())),
        "--work-dir '" + logs + "': /proc is not writable");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--out", "--hdr-log", "--report"})
  void outputsFollowOneRuleForMissingDirectories(String flag) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path under = file.resolve("sub/result");
    assertUsage(
        run(valid(flag, under.toString())),
        flag + " '" + under + "': " + file + " is not a directory");
    Path isDir = Files.createDirectories(dir.resolve("adir"));
    assertUsage(run(valid(flag, isDir.toString())), flag + " '" + isDir + "': is a directory");
  }

  @Test
  void metricsPortInUseIsFoundBeforeAnyPodStarts() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      assertUsage(
          run(valid("--metrics-port", Integer.toString(port))),
          "--metrics-port " + port + ": already in use");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--profile=wobble:9",
        "--threshold=p99<banana",
        "--connections=0",
        "--connections=x"
      })
  void badLoadFlagsPrintNothingBeforeTheirError(String flag) throws IOException {
    Result r = run(valid(flag));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(flag.substring(0, flag.indexOf('=')));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void appJarThatIsNotAJarNamesTheFlag() throws IOException {
    Path notJar = Files.writeString(dir.resolve("x.jar"), "hello");
    assertUsage(
        run("run", "--profile", "hold:1/1s", "--app-jar", notJar.toString()),
        "--app-jar '" + notJar + "': not a jar file");
  }

  /** An executable script standing in for a pod's java. */
  private Path script(String name, String body) throws IOException {
    Path f = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
    assertThat(f.toFile().setExecutable(true)).isTrue();
    return f;
  }

  @Test
  void podJavaThatIsNotAUsableJvmNamesTheFlag() throws IOException {
    Path missing = dir.resolve("no-java");
    assertUsage(
        run(valid("--pod-java", missing.toString())), "--pod-java '" + missing + "': no such file");
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    assertUsage(
        run(valid("--pod-java", plain.toString())), "--pod-java '" + plain + "': not executable");
    Path failing = script("failing", "echo 'bad option' >&2; exit 3");
    assertUsage(
        run(valid("--pod-java", failing.toString())),
        "--pod-java '" + failing + "': '-version' exited 3: bad option");
    Path notJava = script("not-java", "echo hello");
    assertUsage(
        run(valid("--pod-java", notJava.toString())),
        "--pod-java '" + notJava + "': not a JVM ('-version' said: hello)");
    Path old = script("java11", "echo 'openjdk version \"11.0.2\" 2019-01-15' >&2");
    assertUsage(
        run(valid("--pod-java", old.toString())),
        "--pod-java '" + old + "': Java 11; the app needs Java 17 or later");
  }

  /** The plan of a run against the shared manifest, from the lab's flags {@code extra}. */
  private LabPlan plan(String... extra) throws IOException {
    LabOptions o = new LabOptions();
    String[] args = withManifest(manifest(HPA + DEPLOYMENT), extra);
    // The lab's own flags: skip "run" and the profile (the load's, not LabOptions').
    new CommandLine(o).parseArgs(Arrays.copyOfRange(args, 3, args.length));
    return LabPlan.from(o, dir);
  }

  @Test
  void podJavaOfAJdk25IsWhatThePodsRun() throws IOException {
    Path java25 = script("java25", "echo 'openjdk version \"25.0.1\" 2025-10-21 LTS' >&2");
    LabPlan plan = plan("--pod-java", java25.toString());
    assertThat(plan.podJava()).isEqualTo(java25);
    assertThat(plan.notes())
        .anySatisfy(n -> assertThat(n).startsWith("pods     ").contains(": " + java25 + " "));
    // Without the flag, the pods run the lab's own java.
    assertThat(plan().podJava()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void badPriceNamesTheFlag() throws IOException {
    assertUsage(run(valid("--price-vcpu-hour", "-3")), "--price-vcpu-hour '-3': must be >= 0");
  }

  @Test
  void hpaOnAPodsMetricIsRefusedNamingTheMetric() throws IOException {
    Path m =
        manifest(
            HPA.replace(
                    "- type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}",
                    "- type: Pods\n      pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: '5'}}")
                + DEPLOYMENT);
    Result r = run(withManifest(m));
    // Pods metrics come through Prometheus when a prometheus-adapter rule serves them; rps has
    // none.
    assertUsage(r, "metric pods/rps has no source here");
  }

  @Test
  void memoryUtilizationWithoutAMemoryRequestIsRefused() throws IOException {
    Path m =
        manifest(
            HPA.replace(
                    "name: cpu, target: {type: Utilization, averageUtilization: 70}",
                    "name: memory, target: {type: Utilization, averageUtilization: 80}")
                + DEPLOYMENT);
    Result r = run(withManifest(m));
    assertUsage(r, "scales on memory utilization, but Deployment surge has no memory request");
  }

  /** A ScaledObject KEDA's operator loop cannot run here (fallback) exits 2 naming --hpa. */
  @Test
  void aScaledObjectTheLabCannotRunIsRefusedNamingHpa() throws IOException {
    Path m =
        manifest(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: surge}
            spec:
              scaleTargetRef: {name: surge}
              minReplicaCount: 1
              idleReplicaCount: 1
              triggers:
                - type: prometheus
                  metadata: {serverAddress: http://p:9090, query: q, threshold: "50"}
            """
                + DEPLOYMENT);
    Result r = run(withManifest(m));
    assertUsage(r, "ScaledObject surge: IdleReplicaCount=1 must be less than MinReplicaCount=1");
    assertThat(r.err()).startsWith("error: --hpa '" + m + "'");
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
    Result r = run(withManifest(m));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hpa '" + m + "'").contains("has no HorizontalPodAutoscaler");
  }

  @Test
  void hpaWhoseDeploymentIsAbsentNamesTheTarget() throws IOException {
    Path m = manifest(HPA);
    Result r = run(withManifest(m));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hpa '" + m + "'").contains("has no Deployment surge");
  }

  @Test
  void replicaCapBelowMinReplicasNamesTheValue() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Result r = run(withManifest(m, "--replica-cap", "1"));
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

  @Test
  void demoStoryPassesItsFaultsToRun() throws IOException {
    // a profile shorter than the story's first fault: run refuses the story's own --fault
    Result r = run("demo", "--story", "--profile", "hold:1/5s", "--app-jar", appJar().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--fault '20s:pod-kill'");
    assertThat(r.out()).doesNotContain("pod ");
  }

  @Test
  void faultPastTheEndOfTheLoadNamesTheFlag() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/60s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString(),
            "--fault",
            "50s:error-rate=0.5/20s");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "--fault '50s:error-rate=0.5/20s': 50s:error-rate=0.5/20s ends at 70s, after the load"
                + " (the profile lasts 60s)");
    assertThat(r.out()).doesNotContain("service ");
  }

  @Test
  void faultThatDoesNotParseNamesTheFlag() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/60s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString(),
            "--fault",
            "soon:explode");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--fault 'soon:explode': unknown fault 'explode'");
  }

  @Test
  void scenarioFileThatDoesNotParseNamesTheFlag() throws IOException {
    Path m = manifest(HPA + DEPLOYMENT);
    Path scenario = Files.writeString(dir.resolve("s.yaml"), "faults: [{at: 5s, fault: latency}]");
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/60s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString(),
            "--scenario",
            scenario.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--scenario '" + scenario + "': faults[0]: latency needs a value");
    assertThat(r.out()).doesNotContain("service ");
  }

  @Test
  void anObjectMetricHasNoSourceAndIsNamed() throws IOException {
    Path m =
        manifest(
            HPA
                + "    - type: Object\n"
                + "      object:\n"
                + "        describedObject: {apiVersion: v1, kind: Service, name: surge}\n"
                + "        metric: {name: queue_length}\n"
                + "        target: {type: Value, value: \"10\"}\n"
                + DEPLOYMENT);
    Result r =
        run(
            "run",
            "--profile",
            "hold:1/60s",
            "--app-jar",
            appJar().toString(),
            "--hpa",
            m.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("metric object/queue_length has no source here");
  }
}
