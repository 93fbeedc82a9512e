package dev.surge.lab;

import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.Workload;
import dev.surge.lab.cli.LabOptions;
import dev.surge.lab.controller.Timing;
import dev.surge.lab.cost.Prices;
import dev.surge.lab.pod.PodTemplate;
import dev.surge.lab.pod.PodTemplateReader;
import dev.surge.lab.prometheus.PrometheusServer;
import dev.surge.lab.prometheus.ServiceMonitors;
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
 */
public record LabPlan(
    Path appJar,
    PodTemplate template,
    Workload workload,
    Timing timing,
    int manifestMaxReplicas,
    double cpuPerRequestSeconds,
    Path workDir,
    Duration readyTimeout,
    Path report,
    Optional<PrometheusPlan> prometheus,
    int servicePort,
    Prices prices,
    List<String> notes) {
  private static final Pattern CPU_MILLIS = Pattern.compile("[?&]cpuMillis=(\\d+)");

  public LabPlan {
    notes = List.copyOf(notes);
  }

  /**
   * What {@code --prometheus} starts.
   *
   * @param binary the {@code prometheus} executable
   * @param rules the rule file extracted from the shipped PrometheusRule
   * @param scrapeIntervalSeconds the ServiceMonitor's interval (5 s with {@code --fast})
   * @param labels the target labels the ServiceMonitor gives the pods
   */
  public record PrometheusPlan(
      Path binary, String rules, int scrapeIntervalSeconds, PrometheusServer.Labels labels) {}

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
    Optional<PrometheusPlan> prometheus = Optional.empty();
    if (o.prometheus) {
      Path binary =
          PrometheusServer.binary()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--prometheus: prometheus is not on the PATH (Debian: apt-get install -y"
                              + " prometheus, or ./bin/install-test-tools)"));
      String rules =
          UsageException.fromInvalid(
              hpaFlag,
              () -> {
                try {
                  return PrometheusServer.rules(yaml);
                } catch (IOException e) {
                  throw new IllegalArgumentException(e.getMessage(), e);
                }
              });
      prometheus =
          Optional.of(
              new PrometheusPlan(
                  binary,
                  rules,
                  o.fast ? 5 : ServiceMonitors.intervalSeconds(yaml),
                  ServiceMonitors.labels(yaml, hpa.namespace(), hpa.targetName())));
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
    describe(notes, hpaPath, hpa, template, timing);
    return new LabPlan(
        appJar,
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
        notes);
  }

  /** A jar is a zip: a file that does not start with its magic would only crash every pod. */
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
   * ContainerResource}, Utilization and AverageValue). Other sources have no API here.
   */
  private static void checkMetrics(String hpaFlag, HpaSpec hpa, PodTemplate template) {
    if (hpa.keda().isPresent()) {
      throw new UsageException(
          hpaFlag
              + ": ScaledObject "
              + hpa.name()
              + ": the lab serves CPU and memory from its pods only, not KEDA triggers");
    }
    for (MetricSpec m : hpa.metrics()) {
      if (!m.isResource()) {
        throw new UsageException(
            hpaFlag
                + ": HorizontalPodAutoscaler "
                + hpa.name()
                + " scales on "
                + m.source().apiName()
                + " metric "
                + m.name()
                + " (the lab serves Resource cpu and memory only)");
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
    if (!Files.isWritable(existing)) {
      throw new UsageException(flag + " '" + named + "': " + existing + " is not writable");
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
      List<String> notes, Path hpaPath, HpaSpec hpa, PodTemplate t, Timing timing) {
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
            "pods     %s-%s-*: java %s -jar surge-app.jar %s",
            t.deployment(),
            t.templateHash(),
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
