package dev.surge.lab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.prometheus.Binaries;
import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import dev.surge.common.Version;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.Workload;
import dev.surge.lab.Lab;
import dev.surge.lab.LabPlan;
import dev.surge.lab.controller.Timing;
import dev.surge.lab.fault.Fault;
import dev.surge.lab.fault.FaultSchedule;
import dev.surge.lab.fault.Scenario;
import dev.surge.lab.monitoring.AdapterRule;
import dev.surge.lab.monitoring.MonitoringPlan;
import dev.surge.lab.pod.PodTemplate;
import dev.surge.lab.pod.PodTemplateReader;
import dev.surge.lab.service.Balancer;
import dev.surge.loadgen.cli.RunOptions;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: the HPA loop on this machine with the loadgen's {@code run} engine as the load.
 * Every flag is checked before anything starts; a bad one exits 2 naming it and its value.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start the app as pods behind a local Service, autoscale them with the shipped HPA and drive"
          + " load through the Service.",
      "Example: run --fast --profile 'ramp:0->30/20s,hold:30/40s,pause:40s' --max-connection-age 5s"
    })
public final class LabRunCommand implements Callable<Integer> {
  private static final Pattern CPU_MILLIS = Pattern.compile("[?&]cpuMillis=(\\d+)");

  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      paramLabel = "STAGES",
      required = true,
      description =
          "Rate profile through the Service, e.g. 'ramp:0->30/20s,hold:30/40s,pause:40s'.")
  String profile;

  @Mixin LabOptions lab = new LabOptions();

  @Mixin RunOptions load;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LabPlan plan = plan(out);
    Balancer service;
    try {
      service = Balancer.start(lab.servicePort);
    } catch (IOException e) {
      throw new UsageException("--service-port " + lab.servicePort + ": " + e.getMessage(), e);
    }
    if (plan.prometheus().isPresent()
        && spec.findOption("--metrics-port") != null
        && Integer.valueOf(-1).equals(spec.findOption("--metrics-port").getValue())) {
      // Prometheus scrapes the load engine as the shipped PodMonitor says: it needs a metrics port.
      spec.findOption("--metrics-port").setValue(0);
    }
    RunConfig cfg;
    try {
      cfg = loadConfig(service.port());
      Files.createDirectories(plan.workDir());
      if (!plan.faults().isEmpty()) {
        Files.writeString(plan.adminTokenFile(), plan.adminToken(), StandardCharsets.UTF_8);
      }
    } catch (RuntimeException | IOException e) {
      service.close();
      throw e;
    }
    out.println("service  http://127.0.0.1:" + service.port() + " (balances like kube-proxy)");
    out.println("logs     " + plan.workDir());
    if (!plan.faults().isEmpty()) {
      out.println(
          "faults   " + FaultSchedule.describe(plan.faults()) + " (through each pod's admin API)");
    }
    out.flush();
    return new Lab(plan, service, out, err).run(cfg, Version.get());
  }

  /** Validates the lab's flags and reads the manifests; nothing is started here. */
  LabPlan plan(PrintWriter out) {
    Path repo = RepoLayout.root();
    Path appJar = lab.appJar != null ? lab.appJar : repo.resolve("app/target/surge-app.jar");
    if (!Files.isRegularFile(appJar)) {
      throw new UsageException(
          "--app-jar '" + appJar + "': no such file (build it: ./mvnw -B -q -DskipTests package)");
    }
    Path hpaPath = lab.hpa != null ? lab.hpa : repo.resolve("k8s/base");
    String hpaFlag = "--hpa '" + hpaPath + "'";
    if (!Files.exists(hpaPath)) {
      throw new UsageException(hpaFlag + ": no such file or directory");
    }
    String yaml = UsageException.fromInvalid(hpaFlag, () -> ManifestReader.render(hpaPath));
    ManifestReader.Manifest manifest =
        UsageException.fromInvalid(
            hpaFlag,
            () -> ManifestReader.parse(yaml, hpaPath.toString(), Optional.ofNullable(lab.hpaName)));
    PodTemplate parsed =
        UsageException.fromInvalid(
                hpaFlag,
                () -> PodTemplateReader.read(yaml, hpaPath.toString(), manifest.hpa().targetName()))
            .withExtraArgs(lab.podArgs);
    PodTemplate template = parsed;
    Workload workload = manifest.workload().orElseThrow();
    if (lab.cpuRequest != null) {
      long m =
          UsageException.fromInvalid(
              "--cpu-request '" + lab.cpuRequest + "'",
              () -> Quantities.cpuMillicores(lab.cpuRequest));
      if (m <= 0) {
        throw new UsageException("--cpu-request '" + lab.cpuRequest + "': must be > 0");
      }
      template = template.withCpuRequest(m);
      workload = new Workload(m, workload.memoryRequestBytes(), workload.cpuLimitMillicores());
    }
    HpaSpec hpa = manifest.hpa();
    boolean cpuOnlyResources =
        hpa.metrics().stream()
            .filter(MetricSpec::isResource)
            .allMatch(
                m ->
                    m.source() == MetricSpec.Source.RESOURCE
                        && m.isCpu()
                        && m.targetType() == MetricSpec.TargetType.UTILIZATION);
    if (!cpuOnlyResources) {
      // The lab measures what metrics-server would: CPU. Other resource metrics have no source.
      throw new UsageException(
          hpaFlag
              + ": HorizontalPodAutoscaler "
              + hpa.name()
              + " must scale on a Resource cpu Utilization target (the lab measures CPU only)");
    }
    List<MetricSpec> custom = MonitoringPlan.customMetrics(hpa);
    List<AdapterRule> adapterRules = custom.isEmpty() ? List.of() : adapterRules(repo);
    for (MetricSpec m : custom) {
      boolean served =
          switch (m.source()) {
            case PODS -> adapterRules.stream().anyMatch(r -> r.metricName().equals(m.name()));
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
    int cap = machineCap(template);
    if (lab.replicaCap != null) {
      if (lab.replicaCap < hpa.minReplicas()) {
        throw new UsageException(
            "--replica-cap "
                + lab.replicaCap
                + ": below the HPA's minReplicas "
                + hpa.minReplicas());
      }
      cap = lab.replicaCap;
    } else if (cap < hpa.minReplicas()) {
      throw new UsageException(
          "--replica-cap: this machine fits "
              + cap
              + " pods, below the HPA's minReplicas "
              + hpa.minReplicas()
              + "; give --replica-cap N to run more anyway");
    }
    int max = Math.min(hpa.maxReplicas(), cap);
    if (max < hpa.maxReplicas()) {
      out.printf(
          Locale.ROOT,
          "warning  maxReplicas %d x %dm CPU request exceeds this machine's %d cores: replicas capped at %d%s%n",
          hpa.maxReplicas(),
          template.cpuRequestMillicores(),
          Runtime.getRuntime().availableProcessors(),
          max,
          lab.replicaCap != null ? " (--replica-cap)" : " (--replica-cap N changes it)");
    }
    HpaSpec capped =
        new HpaSpec(
            hpa.name(),
            hpa.namespace(),
            hpa.targetName(),
            hpa.minReplicas(),
            max,
            hpa.metrics(),
            hpa.behavior(),
            hpa.tolerances(),
            hpa.keda());
    Timing timing = lab.fast ? Timing.fast(capped) : Timing.manifest(capped);
    double cpuPerRequest = cpuPerRequest();
    Duration ready =
        Duration.ofMillis(
            Math.round(
                UsageException.fromInvalid(
                        "--ready-timeout '" + lab.readyTimeout + "'",
                        () -> Durations.parseSeconds(lab.readyTimeout))
                    * 1000));
    if (ready.isZero() || ready.isNegative()) {
      throw new UsageException("--ready-timeout '" + lab.readyTimeout + "': must be > 0");
    }
    Path workDir =
        lab.workDir != null
            ? lab.workDir
            : Path.of(
                System.getProperty("java.io.tmpdir"), "surge-lab-" + ProcessHandle.current().pid());
    if (lab.report != null
        && lab.report.toAbsolutePath().getParent() != null
        && !Files.isDirectory(lab.report.toAbsolutePath().getParent())) {
      throw new UsageException("--report '" + lab.report + "': its directory does not exist");
    }
    List<Fault> faults = faults();
    String adminToken = "";
    if (!faults.isEmpty()) {
      // The pods get the token file a cluster would mount from the Secret (written before start).
      adminToken = newToken();
      template =
          template.withExtraArgs(
              List.of("--admin-token-file", workDir.resolve("admin-token").toString()));
    }
    Optional<MonitoringPlan.AlertmanagerPlan> am = Optional.empty();
    if (lab.alertmanager) {
      Path amBinary =
          Binaries.find("prometheus-alertmanager")
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--alertmanager: prometheus-alertmanager is not on the PATH (Debian:"
                              + " apt-get install -y prometheus-alertmanager, or"
                              + " ./bin/install-test-tools)"));
      Path config = repo.resolve(ALERTMANAGER_CONFIG);
      try {
        am =
            Optional.of(
                new MonitoringPlan.AlertmanagerPlan(
                    amBinary,
                    (ObjectNode) ManifestDocuments.YAML.readTree(config.toFile()),
                    lab.fast));
      } catch (IOException | ClassCastException e) {
        throw new UsageException(
            "--alertmanager: cannot read " + config + ": " + e.getMessage(), e);
      }
    }
    Optional<MonitoringPlan.AlertmanagerPlan> alertmanager = am;
    Optional<MonitoringPlan> prometheus = Optional.empty();
    boolean needsPrometheus = !custom.isEmpty() || lab.alertmanager;
    if (lab.prometheus || needsPrometheus) {
      String flag = lab.prometheus ? "--prometheus" : lab.alertmanager ? "--alertmanager" : hpaFlag;
      Path binary =
          Binaries.find("prometheus")
              .orElseThrow(
                  () ->
                      new UsageException(
                          flag
                              + (lab.prometheus ? "" : " (its metrics come through Prometheus)")
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
                          capped,
                          lab.fast,
                          adapterRules,
                          alertmanager)));
      if (!lab.prometheus && !custom.isEmpty()) {
        out.println(
            "prometheus starts: the HPA's "
                + String.join(", ", custom.stream().map(MetricSpec::label).toList())
                + " come from Prometheus"
                + (hpa.keda().isPresent()
                    ? " (KEDA's prometheus triggers)"
                    : " (prometheus-adapter's rule)"));
      }
    }
    describe(out, hpaPath, hpa, template, timing);
    return new LabPlan(
        appJar,
        template,
        workload,
        timing,
        hpa.maxReplicas(),
        cpuPerRequest,
        workDir,
        ready,
        lab.report,
        prometheus,
        faults,
        adminToken);
  }

  /**
   * The k8s/ Alertmanager config {@code --alertmanager} routes with, relative to the repository.
   */
  static final String ALERTMANAGER_CONFIG = "k8s/alertmanager/alertmanager.yml";

  /** {@code --fault} and {@code --scenario}, each within the profile's duration. */
  private List<Fault> faults() {
    List<Fault> faults = new ArrayList<>();
    double runEnd;
    try {
      runEnd = RateProfile.parse(profile).durationSeconds();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--profile '" + profile + "': " + e.getMessage(), e);
    }
    for (String spec : lab.faults) {
      String flag = "--fault '" + spec + "'";
      Fault f = UsageException.fromInvalid(flag, () -> Fault.parse(spec));
      faults.add(withinRun(f, runEnd, flag));
    }
    if (lab.scenario != null) {
      String flag = "--scenario '" + lab.scenario + "'";
      if (!Files.isRegularFile(lab.scenario)) {
        throw new UsageException(flag + ": no such file");
      }
      for (Fault f : UsageException.fromInvalid(flag, () -> Scenario.read(lab.scenario))) {
        faults.add(withinRun(f, runEnd, flag));
      }
    }
    return faults;
  }

  private static Fault withinRun(Fault f, double runEnd, String flag) {
    if (f.endSeconds(runEnd) > runEnd || f.atSeconds() >= runEnd) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "%s: %s ends at %.0fs, after the load (the profile lasts %.0fs)",
              flag,
              f,
              Math.max(f.atSeconds(), f.endSeconds(runEnd)),
              runEnd));
    }
    return f;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void describe(
      PrintWriter out, Path hpaPath, HpaSpec hpa, PodTemplate t, Timing timing) {
    out.printf(
        Locale.ROOT,
        "hpa      %s from %s: min %d, max %d, CPU target %d%% of %dm%n",
        hpa.name(),
        hpaPath,
        hpa.minReplicas(),
        timing.hpa().maxReplicas(),
        hpa.targetUtilizationPercent(),
        t.cpuRequestMillicores());
    out.printf(
        Locale.ROOT,
        "pods     %s-%s-*: java %s -jar surge-app.jar %s%n",
        t.deployment(),
        t.templateHash(),
        t.javaToolOptions(),
        String.join(" ", t.args()));
    if (!t.dropped().isEmpty()) {
      out.println(
          "pods     left out (the file does not exist here): " + String.join(" ", t.dropped()));
    }
    if (timing.changes().isEmpty()) {
      out.println("timing   as the manifest says (sync period and metric window 15s)");
    } else {
      out.println("timing   --fast: differs from the manifest and the cluster defaults:");
      for (String c : timing.changes()) {
        out.println("           " + c);
      }
    }
    out.flush();
  }

  private double cpuPerRequest() {
    if (lab.cpuPerRequest != null) {
      double s =
          UsageException.fromInvalid(
              "--cpu-per-request '" + lab.cpuPerRequest + "'",
              () -> Durations.parseSeconds(lab.cpuPerRequest));
      if (!(s > 0)) {
        throw new UsageException("--cpu-per-request '" + lab.cpuPerRequest + "': must be > 0");
      }
      return s;
    }
    Matcher m = CPU_MILLIS.matcher(lab.path);
    if (!m.find()) {
      throw new UsageException(
          "--cpu-per-request: needed when --path has no cpuMillis (got --path '" + lab.path + "')");
    }
    return Integer.parseInt(m.group(1)) / 1000.0;
  }

  /** prometheus-adapter's Helm values, relative to the repository. */
  static final String ADAPTER_RULES =
      "k8s/components/custom-metrics-hpa/prometheus-adapter-values.yaml";

  private static List<AdapterRule> adapterRules(Path repo) {
    Path values = repo.resolve(ADAPTER_RULES);
    try {
      return AdapterRule.read(ManifestDocuments.YAML.readTree(values.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "--hpa: cannot read prometheus-adapter's rules " + values + ": " + e.getMessage(), e);
    }
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

  private RunConfig loadConfig(int servicePort) {
    if (!lab.path.startsWith("/")) {
      throw new UsageException("--path '" + lab.path + "': must start with /");
    }
    String url = "http://127.0.0.1:" + servicePort + lab.path;
    try {
      URI uri = RequestTemplate.parseUrl(url);
      RequestMix mix = RequestMix.single(new RequestTemplate("GET", uri, List.of(), null, null));
      RateProfile p;
      try {
        p = RateProfile.parse(profile);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--profile '" + profile + "': " + e.getMessage(), e);
      }
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("url", url);
      described.put("method", "GET");
      described.put("profile", p.toString());
      described.put("durationSeconds", p.durationSeconds());
      described.put("lab", true);
      return load.toConfig(mix, p, ShardSpec.resolve(null, null, Map.of()), described);
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }
}
