package dev.surge.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.prometheus.Binaries;
import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.Workload;
import dev.surge.lab.cli.LabOptions;
import dev.surge.lab.controller.Timing;
import dev.surge.lab.cost.Prices;
import dev.surge.lab.fault.Fault;
import dev.surge.lab.monitoring.AdapterRule;
import dev.surge.lab.monitoring.MonitoringPlan;
import dev.surge.lab.pod.PodTemplate;
import dev.surge.lab.pod.PodTemplateReader;
import dev.surge.lab.pod.StartupArchive;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a lab run needs, validated before anything starts ({@link #from}).
 *
 * @param appJar the app jar the pods run
 * @param podJava the java each pod runs ({@code --pod-java}; the lab's own by default)
 * @param template the pod template from the Deployment
 * @param workload the Deployment's resources as the HPA model reads them
 * @param timing sync period, metric window and the HPA the controller runs (maxReplicas capped)
 * @param manifestMaxReplicas the manifest's maxReplicas before the cap
 * @param cpuPerRequestSeconds CPU per request for the simulated replicas
 * @param workDir where pod logs go
 * @param readyTimeout how long the first pods may take to become ready
 * @param report the HTML report to write, null for none
 * @param prometheus the Prometheus to start, empty without {@code --prometheus}
 * @param servicePort the Service's port (0: any free one)
 * @param prices what the cost figures are priced at
 * @param notes what the plan says before the run: the HPA, the pods, the timing, warnings
 * @param faults the faults to inject, in seconds after the load starts
 * @param adminToken the pods' admin bearer token, empty when no fault is scheduled
 */
public record LabPlan(
    Path appJar,
    Path podJava,
    PodTemplate template,
    Workload workload,
    Timing timing,
    int manifestMaxReplicas,
    double cpuPerRequestSeconds,
    Path workDir,
    Duration readyTimeout,
    Path report,
    Optional<MonitoringPlan> prometheus,
    int servicePort,
    Prices prices,
    List<String> notes,
    List<Fault> faults,
    String adminToken) {
  private static final Pattern CPU_MILLIS = Pattern.compile("[?&]cpuMillis=(\\d+)");

  public LabPlan {
    notes = List.copyOf(notes);
    faults = List.copyOf(faults);
  }

  /**
   * This plan with faults to inject: the pods get {@code --admin-token-file} (the file a cluster
   * would mount from the Secret, written before they start) and the faults use that token.
   */
  public LabPlan withFaults(List<Fault> newFaults, String token) {
    if (newFaults.isEmpty()) {
      return this;
    }
    return new LabPlan(
        appJar,
        podJava,
        template.withExtraArgs(List.of("--admin-token-file", adminTokenFile().toString())),
        workload,
        timing,
        manifestMaxReplicas,
        cpuPerRequestSeconds,
        workDir,
        readyTimeout,
        report,
        prometheus,
        servicePort,
        prices,
        notes,
        newFaults,
        token);
  }

  /** Where the admin token file is written before the pods start. */
  public Path adminTokenFile() {
    return workDir.resolve("admin-token");
  }

  /**
   * Validates the lab's flags and reads the manifests: every flag's mistake is a {@link
   * UsageException} naming it. Nothing is started, created or printed here.
   *
   * @param o the flags
   * @param repo the repository the defaults are found in
   */
  public static LabPlan from(LabOptions o, Path repo) {
    List<String> notes = new ArrayList<>();
    if (o.servicePort < 0 || o.servicePort > 65535) {
      throw new UsageException("--service-port " + o.servicePort + ": must be 0..65535");
    }
    Path appJar = o.appJar != null ? o.appJar : repo.resolve("app/target/surge-app.jar");
    checkJar(appJar);
    Path podJava = o.podJava != null ? podJava(o.podJava) : thisJava();
    Path hpaPath = o.hpa != null ? o.hpa : repo.resolve("k8s/base");
    String hpaFlag = "--hpa '" + hpaPath + "'";
    if (!Files.exists(hpaPath)) {
      throw new UsageException(hpaFlag + ": no such file or directory");
    }
    String yaml = UsageException.fromInvalid(hpaFlag, () -> ManifestReader.render(hpaPath));
    ManifestReader.Manifest manifest =
        UsageException.fromInvalid(
            hpaFlag,
            () -> ManifestReader.parse(yaml, hpaPath.toString(), Optional.ofNullable(o.hpaName)));
    PodTemplate template =
        UsageException.fromInvalid(
                hpaFlag,
                () -> PodTemplateReader.read(yaml, hpaPath.toString(), manifest.hpa().targetName()))
            .withExtraArgs(o.podArgs);
    Workload workload = manifest.workload().orElseThrow();
    if (o.cpuRequest != null) {
      long m =
          UsageException.fromInvalid(
              "--cpu-request '" + o.cpuRequest + "'", () -> Quantities.cpuMillicores(o.cpuRequest));
      if (m <= 0) {
        throw new UsageException("--cpu-request '" + o.cpuRequest + "': must be > 0");
      }
      template = template.withCpuRequest(m);
      workload = new Workload(m, workload.memoryRequestBytes(), workload.cpuLimitMillicores());
    }
    if (o.memoryRequest != null) {
      long b =
          UsageException.fromInvalid(
              "--memory-request '" + o.memoryRequest + "'",
              () -> Quantities.bytes(o.memoryRequest));
      if (b <= 0) {
        throw new UsageException("--memory-request '" + o.memoryRequest + "': must be > 0");
      }
      template = template.withMemoryRequest(b);
      workload = new Workload(workload.cpuRequestMillicores(), b, workload.cpuLimitMillicores());
    }
    HpaSpec hpa = manifest.hpa();
    checkMetrics(hpaFlag, hpa, template);
    int cap = machineCap(template);
    if (o.replicaCap != null) {
      if (o.replicaCap < hpa.minReplicas()) {
        throw new UsageException(
            "--replica-cap " + o.replicaCap + ": below the HPA's minReplicas " + hpa.minReplicas());
      }
      cap = o.replicaCap;
    } else if (cap < hpa.minReplicas()) {
      throw new UsageException(
          "--replica-cap: this machine fits "
              + cap
              + " pods, below the HPA's minReplicas "
              + hpa.minReplicas()
              + "; give --replica-cap N to run more anyway");
    }
    int max = Math.min(hpa.maxReplicas(), cap);
    HpaSpec capped = hpa.withMaxReplicas(max);
    Timing timing = o.fast ? Timing.fast(capped) : Timing.manifest(capped);
    HpaSpec runHpa = timing.hpa();
    double cpuPerRequest = cpuPerRequest(o);
    Duration ready =
        Duration.ofMillis(
            Math.round(
                UsageException.fromInvalid(
                        "--ready-timeout '" + o.readyTimeout + "'",
                        () -> Durations.parseSeconds(o.readyTimeout))
                    * 1000));
    if (ready.isZero() || ready.isNegative()) {
      throw new UsageException("--ready-timeout '" + o.readyTimeout + "': must be > 0");
    }
    Path workDir =
        o.workDir != null
            ? o.workDir
            : Path.of(
                System.getProperty("java.io.tmpdir"), "surge-lab-" + ProcessHandle.current().pid());
    checkDirectory("--work-dir", workDir);
    if (o.report != null) {
      checkOutput("--report", o.report);
    }
    List<MetricSpec> custom = MonitoringPlan.customMetrics(hpa);
    List<AdapterRule> adapterRules = custom.isEmpty() ? List.of() : adapterRules(repo);
    checkCustomMetrics(hpaFlag, hpa, custom, adapterRules);
    Optional<MonitoringPlan.AlertmanagerPlan> alertmanager = alertmanager(o, repo);
    Optional<MonitoringPlan> prometheus = Optional.empty();
    if (o.prometheus || o.alertmanager || !custom.isEmpty()) {
      String flag = o.prometheus ? "--prometheus" : o.alertmanager ? "--alertmanager" : hpaFlag;
      Path binary =
          Binaries.find("prometheus")
              .orElseThrow(
                  () ->
                      new UsageException(
                          flag
                              + (o.prometheus || o.alertmanager
                                  ? ""
                                  : " (its metrics come through Prometheus)")
                              + ": prometheus is not on the PATH (Debian: apt-get install -y"
                              + " prometheus, or ./bin/install-test-tools)"));
      prometheus =
          Optional.of(
              UsageException.fromInvalid(
                  hpaFlag,
                  () ->
                      MonitoringPlan.from(
                          binary,
                          ManifestDocuments.parse(yaml, hpaPath.toString()),
                          runHpa,
                          o.fast,
                          adapterRules,
                          alertmanager)));
      List<String> queryChanges = prometheus.get().queryChanges();
      if (!queryChanges.isEmpty()) {
        List<String> all = new ArrayList<>(timing.changes());
        all.addAll(queryChanges);
        timing =
            new Timing(timing.syncPeriodSeconds(), timing.metricWindowSeconds(), timing.hpa(), all);
      }
      if (!o.prometheus && !custom.isEmpty()) {
        notes.add(
            "prometheus starts: the HPA's "
                + String.join(", ", custom.stream().map(MetricSpec::label).toList())
                + " come from Prometheus"
                + (hpa.keda().isPresent()
                    ? " (KEDA's prometheus triggers)"
                    : " (prometheus-adapter's rule)"));
      }
    }
    Prices prices = Prices.from(o);
    if (max < hpa.maxReplicas()) {
      notes.add(
          String.format(
              Locale.ROOT,
              "warning  maxReplicas %d x %dm CPU request exceeds this machine's %d cores: replicas capped at %d%s",
              hpa.maxReplicas(),
              template.cpuRequestMillicores(),
              Runtime.getRuntime().availableProcessors(),
              max,
              o.replicaCap != null ? " (--replica-cap)" : " (--replica-cap N changes it)"));
    }
    describe(notes, hpaPath, hpa, template, timing, o.podJava != null ? podJava : null);
    return new LabPlan(
        appJar,
        podJava,
        template,
        workload,
        timing,
        hpa.maxReplicas(),
        cpuPerRequest,
        workDir,
        ready,
        o.report,
        prometheus,
        o.servicePort,
        prices,
        notes,
        List.of(),
        "");
  }

  /** prometheus-adapter's Helm values, relative to the repository. */
  static final String ADAPTER_RULES =
      "k8s/components/custom-metrics-hpa/prometheus-adapter-values.yaml";

  /** The Alertmanager config {@code --alertmanager} routes with, relative to the repository. */
  static final String ALERTMANAGER_CONFIG = "k8s/alertmanager/alertmanager.yml";

  private static List<AdapterRule> adapterRules(Path repo) {
    Path values = repo.resolve(ADAPTER_RULES);
    try {
      return AdapterRule.read(ManifestDocuments.YAML.readTree(values.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "--hpa: cannot read prometheus-adapter's rules " + values + ": " + e.getMessage(), e);
    }
  }

  /** Every Pods metric needs an adapter rule, every External one a KEDA prometheus trigger. */
  private static void checkCustomMetrics(
      String hpaFlag, HpaSpec hpa, List<MetricSpec> custom, List<AdapterRule> rules) {
    for (MetricSpec m : custom) {
      boolean served =
          switch (m.source()) {
            case PODS -> rules.stream().anyMatch(r -> r.metricName().equals(m.name()));
            case EXTERNAL -> hpa.keda().isPresent() && m.name().matches("s\\d+-prometheus");
            default -> false;
          };
      if (!served) {
        throw new UsageException(
            hpaFlag
                + ": HorizontalPodAutoscaler "
                + hpa.name()
                + " metric "
                + m.label()
                + " has no source here (the lab serves Pods metrics of prometheus-adapter's rules"
                + " in "
                + ADAPTER_RULES
                + " and KEDA prometheus triggers, through its Prometheus)");
      }
    }
  }

  private static Optional<MonitoringPlan.AlertmanagerPlan> alertmanager(LabOptions o, Path repo) {
    if (!o.alertmanager) {
      return Optional.empty();
    }
    Path binary =
        Binaries.find("prometheus-alertmanager")
            .orElseThrow(
                () ->
                    new UsageException(
                        "--alertmanager: prometheus-alertmanager is not on the PATH (Debian:"
                            + " apt-get install -y prometheus-alertmanager, or"
                            + " ./bin/install-test-tools)"));
    Path config = repo.resolve(ALERTMANAGER_CONFIG);
    try {
      return Optional.of(
          new MonitoringPlan.AlertmanagerPlan(
              binary, (ObjectNode) ManifestDocuments.YAML.readTree(config.toFile()), o.fast));
    } catch (IOException | ClassCastException e) {
      throw new UsageException("--alertmanager: cannot read " + config + ": " + e.getMessage(), e);
    }
  }

  /** A jar is a zip: a file that does not start with its magic would only crash every pod. */
  /** The lab's own java: what pods run without {@code --pod-java}. */
  static Path thisJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Pod JVMs the app runs on: its jar is compiled for release 17. */
  static final int MIN_POD_JAVA = 17;

  /**
   * {@code --pod-java}: an executable file whose {@code -version} names a JVM of release {@link
   * #MIN_POD_JAVA} or later (one short process, so that a wrong path is a usage error here rather
   * than pods that crash-loop later).
   */
  static Path podJava(Path java) {
    String flag = "--pod-java '" + java + "'";
    if (!Files.isRegularFile(java)) {
      throw new UsageException(flag + ": no such file");
    }
    if (!Files.isExecutable(java)) {
      throw new UsageException(flag + ": not executable");
    }
    String version;
    try {
      version = StartupArchive.versionOutput(java);
    } catch (IOException e) {
      throw new UsageException(flag + ": " + e.getMessage(), e);
    }
    int feature =
        StartupArchive.feature(version)
            .orElseThrow(
                () ->
                    new UsageException(
                        flag + ": not a JVM ('-version' said: " + firstLine(version) + ")"));
    if (feature < MIN_POD_JAVA) {
      throw new UsageException(
          flag + ": Java " + feature + "; the app needs Java " + MIN_POD_JAVA + " or later");
    }
    return java;
  }

  private static String firstLine(String s) {
    String line = s.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "nothing" : line;
  }

  private static void checkJar(Path appJar) {
    if (!Files.isRegularFile(appJar)) {
      throw new UsageException(
          "--app-jar '" + appJar + "': no such file (build it: ./mvnw -B -q -DskipTests package)");
    }
    byte[] magic = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(appJar)) {
      n = in.readNBytes(magic, 0, 4);
    } catch (IOException e) {
      throw new UsageException("--app-jar '" + appJar + "': cannot be read: " + e.getMessage(), e);
    }
    if (n < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
      throw new UsageException("--app-jar '" + appJar + "': not a jar file");
    }
  }

  /**
   * The lab serves the metrics a metrics-server would: CPU and memory ({@code Resource} and {@code
   * ContainerResource}, Utilization and AverageValue); Pods and External metrics come through its
   * Prometheus ({@link #checkCustomMetrics}).
   */
  private static void checkMetrics(String hpaFlag, HpaSpec hpa, PodTemplate template) {
    for (MetricSpec m : hpa.metrics()) {
      if (!m.isResource()) {
        continue; // served through Prometheus, checked with the adapter's rules and KEDA's triggers
      }
      if (m.targetType() == MetricSpec.TargetType.UTILIZATION
          && m.name().equals("memory")
          && template.memoryRequestBytes() <= 0) {
        throw new UsageException(
            hpaFlag
                + ": HorizontalPodAutoscaler "
                + hpa.name()
                + " scales on memory utilization, but Deployment "
                + template.deployment()
                + " has no memory request");
      }
    }
  }

  /**
   * A directory the lab will create or use: the nearest existing ancestor must be a writable dir.
   */
  static void checkDirectory(String flag, Path dir) {
    checkDirectory(flag, dir, dir);
  }

  private static void checkDirectory(String flag, Path named, Path dir) {
    Path abs = dir.toAbsolutePath();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new UsageException(
          flag
              + " '"
              + named
              + "': "
              + (named == dir ? "not a directory" : abs + " is not a directory"));
    }
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new UsageException(flag + " '" + named + "': " + existing + " is not a directory");
    }
    if (!writable(existing)) {
      throw new UsageException(flag + " '" + named + "': " + existing + " is not writable");
    }
  }

  /**
   * Whether a file can be created in {@code dir}: tried with a probe file (deleted at once), since
   * {@code access(2)} answers yes to root for every directory, also where no one can create a file
   * (a read-only mount, {@code /proc}).
   */
  private static boolean writable(Path dir) {
    if (!Files.isWritable(dir)) {
      return false;
    }
    try {
      Files.delete(Files.createTempFile(dir, ".surge-lab-", ".probe"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * An output file ({@code --out}, {@code --hdr-log}, {@code --report}): one rule for all three, as
   * the loadgen's result writer has it: missing directories are created, so the nearest existing
   * ancestor must be a writable directory, and the file itself must not be a directory.
   */
  public static void checkOutput(String flag, Path file) {
    Path abs = file.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      throw new UsageException(flag + " '" + file + "': is a directory");
    }
    if (abs.getParent() != null) {
      checkDirectory(flag, file, abs.getParent());
    }
  }

  private static void describe(
      List<String> notes, Path hpaPath, HpaSpec hpa, PodTemplate t, Timing timing, Path podJava) {
    List<String> targets = new ArrayList<>();
    for (MetricSpec m : hpa.metrics()) {
      targets.add(m.label() + " " + m.targetText());
    }
    notes.add(
        String.format(
            Locale.ROOT,
            "hpa      %s from %s: min %d, max %d, targets %s (CPU request %dm, memory request %s)",
            hpa.name(),
            hpaPath,
            hpa.minReplicas(),
            timing.hpa().maxReplicas(),
            String.join(", ", targets),
            t.cpuRequestMillicores(),
            t.memoryRequestBytes() > 0 ? (t.memoryRequestBytes() >> 20) + "Mi" : "none"));
    notes.add(
        String.format(
            Locale.ROOT,
            "pods     %s-%s-*: %s %s -jar surge-app.jar %s",
            t.deployment(),
            t.templateHash(),
            podJava != null ? podJava : "java",
            t.javaToolOptions(),
            String.join(" ", t.args())));
    if (!t.dropped().isEmpty()) {
      notes.add(
          "pods     left out (the file does not exist here): " + String.join(" ", t.dropped()));
    }
    if (timing.changes().isEmpty()) {
      notes.add("timing   as the manifest says (sync period and metric window 15s)");
    } else {
      notes.add("timing   --fast: differs from the manifest and the cluster defaults:");
      for (String c : timing.changes()) {
        notes.add("           " + c);
      }
    }
  }

  private static double cpuPerRequest(LabOptions o) {
    if (o.cpuPerRequest != null) {
      double s =
          UsageException.fromInvalid(
              "--cpu-per-request '" + o.cpuPerRequest + "'",
              () -> Durations.parseSeconds(o.cpuPerRequest));
      if (!(s > 0)) {
        throw new UsageException("--cpu-per-request '" + o.cpuPerRequest + "': must be > 0");
      }
      return s;
    }
    Matcher m = CPU_MILLIS.matcher(o.path);
    if (!m.find()) {
      throw new UsageException(
          "--cpu-per-request: needed when --path has no cpuMillis (got --path '" + o.path + "')");
    }
    return Integer.parseInt(m.group(1)) / 1000.0;
  }

  /** How many pods of this template the machine fits by CPU and memory requests. */
  private static int machineCap(PodTemplate t) {
    int cores = Runtime.getRuntime().availableProcessors();
    long byCpu = cores * 1000L / t.cpuRequestMillicores();
    long byMemory = Long.MAX_VALUE;
    if (t.memoryRequestBytes() > 0
        && ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os) {
      byMemory = os.getTotalMemorySize() / t.memoryRequestBytes();
    }
    return (int) Math.max(0, Math.min(byCpu, byMemory));
  }
}
