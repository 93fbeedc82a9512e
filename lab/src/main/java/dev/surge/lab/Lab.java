package dev.surge.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.ShutdownSignal;
import dev.surge.hpa.HpaController;
import dev.surge.hpa.MetricReadings;
import dev.surge.hpa.ProfileRates;
import dev.surge.hpa.ReplicaCalculator;
import dev.surge.hpa.SimulationResult;
import dev.surge.hpa.Simulator;
import dev.surge.lab.controller.LabController;
import dev.surge.lab.controller.TimelineEntry;
import dev.surge.lab.cost.RunCost;
import dev.surge.lab.fault.FaultSchedule;
import dev.surge.lab.metrics.MemoryWindow;
import dev.surge.lab.metrics.UsageSampler;
import dev.surge.lab.monitoring.LabMonitoring;
import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.ReplicaSet;
import dev.surge.lab.service.Balancer;
import dev.surge.lab.service.Endpoint;
import dev.surge.loadgen.events.EventRecorder;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.report.HtmlReport;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scaling.ScalingSample;
import dev.surge.loadgen.scaling.ScalingSection;
import dev.surge.loadgen.ui.LiveView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * One lab run, as a Jetty {@link ContainerLifeCycle} of its parts: the Service (balancer), the pods
 * ({@link ReplicaSet}), the CPU and memory sampler, with {@code --prometheus} the
 * kube-state-metrics endpoint and Prometheus, and the HPA controller. They start in that order and
 * stop in reverse (controller, Prometheus, sampler, pods drained by SIGTERM, Service); a part that
 * fails to start stops those already started. Between start and stop, {@link #run} scales to
 * minReplicas, waits for them to be ready and settled, and drives the load; the controller syncs
 * from the moment sending starts until it ends ({@link LoadRun#onSendingEnded}).
 *
 * <p>A shutdown hook ({@link ShutdownSignal}) turns Ctrl-C or SIGTERM into the run's stop flag and
 * holds the JVM until the parts have stopped, killing the pods if that takes too long, so no pod
 * outlives the lab; the pods also exit by themselves when the lab process disappears ({@code
 * SURGE_PARENT_PID}).
 *
 * <p>A {@code Lab} runs once, from one thread.
 */
public final class Lab extends ContainerLifeCycle {
  /** Longest the shutdown hook holds the JVM for a clean stop before it kills the pods. */
  static final Duration HOOK_WAIT = Duration.ofSeconds(45);

  /** The shipped SLO's error budget: 99.5 % of /api requests without a 5xx (PrometheusRule). */
  static final double ERROR_BUDGET = 0.005;

  private final LabPlan plan;
  private final Balancer service;
  private final PrintWriter out;
  private final PrintWriter err;
  private final EventSink events;
  private final LiveView live;
  private final EventRecorder recorded;
  private final long originNanos = System.nanoTime();
  private final ReplicaSet pods;
  private final UsageSampler cpu;
  private final LabController controller;
  private final LabMonitoring monitoring;
  private final FaultSchedule faults;
  private volatile double loadOrigin;

  /**
   * @param service the already bound Service (its port is in the run's URL); the lab owns and
   *     closes it, also when it fails to start
   */
  public Lab(LabPlan plan, Balancer service, PrintWriter out, PrintWriter err) {
    this(plan, service, out, err, LiveView.off());
  }

  /**
   * As above, showing the run on {@code live} ({@code --ui}; the caller owns and closes it). Every
   * event goes to the terminal, to the result file's {@code events[]} and to the live page.
   */
  public Lab(LabPlan plan, Balancer service, PrintWriter out, PrintWriter err, LiveView live) {
    this.plan = plan;
    this.service = service;
    this.out = out;
    this.err = err;
    this.live = live;
    this.recorded = new EventRecorder(live.events());
    this.events = EventSink.all(EventSink.console(out), recorded);
    this.pods =
        new ReplicaSet(
            plan.template(),
            plan.appJar(),
            plan.podJava(),
            plan.workDir(),
            this::clock,
            this::endpointsChanged,
            events);
    this.cpu = new UsageSampler(plan.timing().metricWindowSeconds(), pods::pids, this::clock);
    this.monitoring =
        plan.prometheus()
            .map(
                p ->
                    new LabMonitoring(
                        p,
                        plan.workDir().resolve("prometheus"),
                        plan.timing().hpa(),
                        plan.template(),
                        pods,
                        this::latestSync,
                        out,
                        events,
                        this::runClock))
            .orElse(null);
    this.controller =
        new LabController(
            new HpaController(plan.timing().hpa(), ReplicaCalculator.defaults()),
            pods,
            cpu,
            monitoring == null ? MetricReadings.NONE : monitoring.readings(this::clock),
            plan.timing().syncPeriodSeconds(),
            this::clock,
            events,
            err);
    addBean(Part.stopping("service", service::close), true);
    addBean(Part.stopping("pods", pods::close), true);
    addBean(Part.of("cpu sampler", cpu::start, cpu::close), true);
    if (monitoring != null) {
      addBean(monitoring, true);
    }
    this.faults = new FaultSchedule(plan.faults(), pods, plan.adminToken(), events, this::runClock);
    addBean(Part.stopping("hpa controller", controller::stop), true);
    addBean(Part.stopping("faults", faults::close), true);
  }

  /** Seconds since the load started (the timeline's clock); the lab's clock before. */
  private double runClock() {
    return clock() - loadOrigin;
  }

  /** The controller's last sync, null before the first (the HPA's status). */
  private TimelineEntry latestSync() {
    return controller == null ? null : controller.latest();
  }

  /** The ReplicaSet's endpoints: to the Service, and to Prometheus' discovery at once. */
  private void endpointsChanged(List<Endpoint> endpoints) {
    service.endpoints(endpoints);
    if (monitoring != null) {
      monitoring.refreshTargets();
    }
  }

  private double clock() {
    return (System.nanoTime() - originNanos) / 1e9;
  }

  /**
   * Starts the parts, runs the lab with {@code load}, stops the parts, and returns the exit code:
   * the load run's, {@link ExitCode#FAILED} when the first pods were not ready in time or a signal
   * came first, {@link ExitCode#USAGE} when none of them could start at all.
   */
  public int run(RunConfig load, String version) throws IOException, InterruptedException {
    try {
      return ShutdownSignal.withStopFlag(
          "surge-lab-shutdown",
          HOOK_WAIT,
          pods::killAll,
          stop -> {
            try {
              return runParts(load, version, stop);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private int runParts(RunConfig load, String version, AtomicBoolean stop)
      throws IOException, InterruptedException {
    try {
      start();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the lab: " + e.getMessage(), e);
    }
    int code;
    try {
      code = runStarted(load, version, stop);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      stopQuietly(e);
      throw e;
    }
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the lab: " + e.getMessage(), e);
    }
    return code;
  }

  /** Stops the parts while {@code failure} is on its way out, keeping a failed stop with it. */
  private void stopQuietly(Throwable failure) {
    try {
      stop();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private int runStarted(RunConfig load, String version, AtomicBoolean stop)
      throws IOException, InterruptedException {
    live.scalingInfo(scalingInfo());
    int min = plan.timing().hpa().minReplicas();
    pods.scaleTo(min);
    ReplicaSet.Readiness readiness = pods.awaitReady(min, plan.readyTimeout(), stop::get);
    switch (readiness) {
      case READY -> {
        return runLoad(load, version, stop);
      }
      case ABORTED -> {
        return ExitCode.FAILED.code();
      }
      case CANNOT_START -> {
        err.println(
            "error: no pod could start (check --app-jar, the Deployment's args and --pod-arg):");
        printPodStates();
        return ExitCode.USAGE.code();
      }
      default -> {
        err.println(
            "error: "
                + min
                + " pods were not ready within "
                + plan.readyTimeout().toSeconds()
                + "s (see the pod logs in "
                + plan.workDir()
                + ")");
        printPodStates();
        return ExitCode.FAILED.code();
      }
    }
  }

  private void printPodStates() {
    for (Pod p : pods.pods()) {
      Pod.ContainerStatus s = p.status();
      err.println(
          "  "
              + p.name()
              + ": "
              + s.describe()
              + (s.firstErrorLine().isEmpty() ? "" : "; log: " + s.firstErrorLine()));
    }
    err.println("  logs in " + plan.workDir());
    err.flush();
  }

  /**
   * Waits until the first pods' CPU has come down from their start-up (JIT compilation, class
   * loading) to an idle level — below a fifth of the request over a whole metric window — so the
   * load starts on pods that are as settled as the simulator's (which exist long before the run),
   * and returns their idle CPU in millicores for the simulator. Bounded: after four windows (at
   * least 20 s) the load starts anyway and the output says so.
   */
  private double settle(AtomicBoolean stop) throws InterruptedException {
    double window = plan.timing().metricWindowSeconds();
    long limit = plan.template().cpuRequestMillicores() / 5;
    long deadline = System.nanoTime() + (long) (Math.max(20, 4 * window) * 1e9);
    double idle = -1;
    while (!stop.get()) {
      List<Pod> serving = pods.pods().stream().filter(Pod::serving).toList();
      double sum = 0;
      boolean settled = !serving.isEmpty();
      for (Pod p : serving) {
        var sample = cpu.sample(p.name());
        if (sample.isEmpty()
            || sample.get().timestamp() - sample.get().windowSeconds() < p.readyTransitionTime()
            || sample.get().millicores() > limit) {
          settled = false;
        } else {
          sum += sample.get().millicores();
        }
      }
      if (settled) {
        idle = sum / serving.size();
        break;
      }
      if (System.nanoTime() > deadline) {
        out.printf(
            Locale.ROOT,
            "lab      the pods' start-up CPU did not settle below %dm within %.0fs: starting anyway%n",
            limit,
            Math.max(20, 4 * window));
        break;
      }
      Thread.sleep(500); // polling the sampler's windows, bounded by the deadline
    }
    return Math.max(0, idle);
  }

  private int runLoad(RunConfig load, String version, AtomicBoolean stop)
      throws IOException, InterruptedException {
    double startup = averageStartup(pods.pods());
    out.printf(
        Locale.ROOT,
        "lab      %d pods ready (start-up %.1fs each); waiting for their start-up CPU to settle%n",
        pods.readyReplicas(),
        startup);
    out.flush();
    double idle = settle(stop);
    UsageSampler.Totals before = cpu.totals();
    AtomicLong served = new AtomicLong();
    AtomicReference<RunCost> cost = new AtomicReference<>();
    out.printf(Locale.ROOT, "lab      idle CPU %.0fm per pod; the load starts%n", idle);
    out.flush();
    LoadRun.Outcome outcome =
        new LoadRun(load, out, err, version)
            // The page's end comes below, once the cost is in the result.
            .live(LiveView.withoutEnd(live, r -> {}))
            .events(recorded)
            .liveScaling(controller::latest)
            .progressSuffix(controller::progressText)
            .intervalListener(
                i -> {
                  served.addAndGet(i.completed());
                  liveCost(before);
                })
            // The last sync may be running as sending ends: it finishes and counts.
            .onSendingEnded(controller::stop)
            .scaling(
                () -> {
                  // The simulated series uses what a request really cost the pods in this run
                  // (JIT, GC and HTTP handling on top of the burn), so observed and simulated
                  // differ only by what the model leaves out, not by a guessed input.
                  double measured =
                      cpu.totals()
                          .cpuPerRequestSince(before, served.get(), idle)
                          .orElse(plan.cpuPerRequestSeconds());
                  cost.set(cost(before));
                  SimulationResult simulated = simulate(load, startup, idle, measured);
                  ObjectNode scaling =
                      scaling(controller.timeline(), simulated, startup, idle, measured);
                  podStartups((ObjectNode) scaling.path("lab"), pods);
                  return scaling;
                })
            .execute(
                stop,
                port -> {
                  loadOrigin = clock();
                  controller.start();
                  faults.start();
                  if (monitoring != null) {
                    monitoring.loadgenStarted(port);
                  }
                });
    ObjectNode result = ResultWriter.JSON.valueToTree(outcome.result());
    try {
      printScaling(result);
      if (cost.get() != null) {
        // The page's last cost is the result's own: the same object, so the same figures.
        live.cost(addCost(result, cost.get(), load));
      }
    } finally {
      live.ended(outcome.result());
    }
    if (plan.report() != null) {
      String html =
          HtmlReport.render(
              result, load.out().map(p -> p.getFileName().toString()).orElse("lab run"));
      Path parent = plan.report().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent); // the rule --out and --hdr-log follow too
      }
      Files.writeString(plan.report(), html, StandardCharsets.UTF_8);
      out.println("report   " + plan.report());
    }
    out.println("lab      stopping: every pod gets SIGTERM and drains");
    out.flush();
    return outcome.exitCode();
  }

  /** The ready pods' average working set now (the simulator's memory per pod), 0 without one. */
  private double memoryPerPod() {
    return pods.pods().stream()
        .map(p -> cpu.memory(p.name()))
        .flatMap(java.util.Optional::stream)
        .mapToLong(MemoryWindow.Sample::bytes)
        .average()
        .orElse(0);
  }

  /**
   * The lab's {@code podStartups}: every pod's process start to its app's start-up line ({@code
   * appSeconds}) and to first Ready ({@code seconds}, on the kubelet's probe ticks), and the
   * start-up archive it used ({@code appcds}, {@code aot-cache} or {@code none}).
   */
  private static void podStartups(ObjectNode lab, ReplicaSet pods) {
    lab.put("startupArchive", pods.archive().kind().key());
    ArrayNode startups = lab.putArray("podStartups");
    for (ReplicaSet.PodStartup s : pods.startups()) {
      startups
          .addObject()
          .put("pod", s.pod())
          .put("appSeconds", Math.round(s.appSeconds() * 1000) / 1000.0)
          .put("seconds", Math.round(s.seconds() * 1000) / 1000.0)
          .put("archive", s.archive());
    }
  }

  private static double averageStartup(List<Pod> pods) {
    return pods.stream()
        .mapToDouble(p -> p.readyTransitionTime() - p.createdAt())
        .average()
        .orElse(0);
  }

  private SimulationResult simulate(
      RunConfig load, double startupSeconds, double idle, double cpuPerRequestSeconds) {
    return Simulator.builder()
        .hpa(plan.timing().hpa())
        .workload(plan.workload())
        .cpuPerRequestSeconds(cpuPerRequestSeconds)
        .rate(ProfileRates.of(load.profile()))
        .startupSeconds(startupSeconds)
        .idleCpuMillicores(idle)
        .memoryPerPodBytes(Math.max(1, memoryPerPod()))
        .syncPeriodSeconds(plan.timing().syncPeriodSeconds())
        .metricWindowSeconds(plan.timing().metricWindowSeconds())
        .tailSeconds(0)
        .build()
        .run();
  }

  /**
   * The result's {@code scaling} object: the shared keys of {@link ScalingSection} plus {@code
   * source: lab}, each sync's {@code utilizationPercent} and {@code reason}, and the lab's
   * settings.
   */
  ObjectNode scaling(
      List<TimelineEntry> timeline,
      SimulationResult simulated,
      double startup,
      double idle,
      double measuredCpuPerRequest) {
    List<ScalingSample> samples = new ArrayList<>();
    for (TimelineEntry e : timeline) {
      samples.add(
          new ScalingSample(
              e.t(), e.currentReplicas(), e.desiredReplicas(), e.readyReplicas(), e.podRates()));
    }
    ObjectNode scaling = ScalingSection.build(samples, simulated);
    ObjectNode ordered = ResultWriter.JSON.createObjectNode();
    ordered.put("source", "lab");
    ordered.setAll(scaling);
    ArrayNode nodes = (ArrayNode) ordered.path("timeline");
    for (int i = 0; i < timeline.size(); i++) {
      ObjectNode n = (ObjectNode) nodes.get(i);
      TimelineEntry e = timeline.get(i);
      n.put("utilizationPercent", e.utilizationPercent());
      n.put("reason", e.reason());
      n.put("driver", e.driver());
      ArrayNode metrics = n.putArray("metrics");
      for (TimelineEntry.MetricReading r : e.metrics()) {
        ObjectNode m = metrics.addObject();
        m.put("metric", r.metric());
        m.put("current", round(r.current()));
        m.put("target", round(r.target()));
        m.put("unit", r.unit());
        m.put("proposal", r.proposal());
      }
    }
    ObjectNode lab = labSettings();
    lab.put("measuredCpuPerRequestSeconds", Math.round(measuredCpuPerRequest * 1e6) / 1e6);
    lab.put("cpuRequestMillicores", plan.template().cpuRequestMillicores());
    lab.put("podStartupSeconds", Math.round(startup * 10) / 10.0);
    lab.put("idleCpuMillicores", Math.round(idle));
    ArrayNode changes = lab.putArray("differsFromManifest");
    plan.timing().changes().forEach(changes::add);
    ordered.set("lab", lab);
    return ordered;
  }

  /** The live page's scaling header: {@code source: lab} and the lab's settings. */
  private Map<String, Object> scalingInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("source", "lab");
    info.put("lab", labSettings());
    return info;
  }

  /** The settings at the top of the result's {@code scaling.lab} object (known before the run). */
  private ObjectNode labSettings() {
    ObjectNode lab = ResultWriter.JSON.createObjectNode();
    lab.put("hpa", plan.timing().hpa().name());
    lab.put("minReplicas", plan.timing().hpa().minReplicas());
    lab.put("maxReplicas", plan.timing().hpa().maxReplicas());
    lab.put("manifestMaxReplicas", plan.manifestMaxReplicas());
    lab.put("targetUtilizationPercent", plan.timing().hpa().targetUtilizationPercent());
    lab.put("syncPeriodSeconds", plan.timing().syncPeriodSeconds());
    lab.put("metricWindowSeconds", plan.timing().metricWindowSeconds());
    lab.put("cpuPerRequestSeconds", plan.cpuPerRequestSeconds());
    return lab;
  }

  /** The cost of the load's period: from the first sync to now (sending has ended). */
  private RunCost cost(UsageSampler.Totals before) {
    double from = controller.origin();
    double to = clock();
    if (Double.isNaN(from)) {
      from = to;
    }
    List<RunCost.Life> lives = new ArrayList<>();
    for (ReplicaSet.PodLife l : pods.lives()) {
      lives.add(new RunCost.Life(l.start(), l.end()));
    }
    return RunCost.compute(
        lives,
        from,
        to,
        plan.template().cpuRequestMillicores(),
        plan.template().memoryRequestBytes(),
        cpu.totals().cpuSeconds() - before.cpuSeconds(),
        plan.timing().hpa().maxReplicas(),
        plan.prices());
  }

  /**
   * The cost so far to the live page (every interval while the load runs, on the interval thread):
   * the figures of the result's {@code cost} without the SLO, which needs the summary. Nothing when
   * {@code --ui} is off.
   */
  private void liveCost(UsageSampler.Totals before) {
    if (live == LiveView.off()) {
      return;
    }
    try {
      ObjectNode n = ResultWriter.JSON.createObjectNode();
      costFigures(n, cost(before));
      live.cost(n);
    } catch (RuntimeException e) {
      // The page is a bystander: a failure to show the cost must not disturb the run.
      err.println("warning: live cost: " + e.getMessage());
      err.flush();
    }
  }

  /**
   * Adds {@code cost} to the result (and rewrites {@code --out} with it), with the SLO the run
   * achieved beside it, prints the summary line and returns the object added.
   */
  private ObjectNode addCost(ObjectNode result, RunCost c, RunConfig load) throws IOException {
    JsonNode summary = result.path("summary");
    double p99 = summary.path("latencyMillis").path("corrected").path("p99").asDouble(-1);
    long requests = summary.path("requests").asLong();
    long errors = summary.path("errors").asLong();
    double errorRatio = requests > 0 ? (double) errors / requests : 0;
    double budgetUsed = errorRatio / ERROR_BUDGET * 100;
    ObjectNode n = result.putObject("cost");
    costFigures(n, c);
    ObjectNode slo = n.putObject("slo");
    slo.put("p99Millis", p99);
    slo.put("errorRatio", errorRatio);
    slo.put("errorBudget", ERROR_BUDGET);
    slo.put("errorBudgetUsedPercent", Math.round(budgetUsed * 100) / 100.0);
    String line = c.summary(p99, budgetUsed);
    n.put("summary", line);
    out.println("cost     " + line);
    out.flush();
    if (load.out().isPresent()) {
      Path path = load.out().get().toAbsolutePath();
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      ResultWriter.JSON.writeValue(tmp.toFile(), result);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return n;
  }

  /** The result's {@code cost} figures (all but the SLO and the summary line) into {@code n}. */
  private static void costFigures(ObjectNode n, RunCost c) {
    n.put("currency", c.prices().currency());
    n.put("priceVcpuHour", c.prices().vcpuHour());
    n.put("priceGibHour", c.prices().gibHour());
    n.put("periodSeconds", round(c.periodSeconds()));
    n.put("requestedCoreSeconds", round(c.requestedCoreSeconds()));
    n.put("requestedGibSeconds", round(c.requestedGibSeconds()));
    n.put("usedCoreSeconds", round(c.usedCoreSeconds()));
    n.put("idleShare", Math.round(c.idleShare() * 10000) / 10000.0);
    n.put("cost", c.cost());
    n.put("peakReplicas", c.peakReplicas());
    putStatic(n.putObject("staticAtPeak"), c.staticAtPeak());
    putStatic(n.putObject("staticAtMaxReplicas"), c.staticAtMax());
  }

  private static void putStatic(ObjectNode n, RunCost.Static s) {
    n.put("replicas", s.replicas());
    n.put("requestedCoreSeconds", round(s.requestedCoreSeconds()));
    n.put("requestedGibSeconds", round(s.requestedGibSeconds()));
    n.put("cost", s.cost());
    n.put("savingPercent", round(s.savingPercent()));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private void printScaling(ObjectNode result) {
    var s = result.path("scaling");
    if (!s.isObject()) {
      return;
    }
    int observedPeak = 0;
    for (var n : s.path("timeline")) {
      observedPeak = Math.max(observedPeak, n.path("currentReplicas").asInt());
    }
    int simulatedPeak = 0;
    for (var n : s.path("simulated")) {
      simulatedPeak = Math.max(simulatedPeak, n.path("replicas").asInt());
    }
    out.printf(
        Locale.ROOT,
        "scaling  peak %d replicas (simulated %d), scale-up %s, scale-down %s, %d syncs%n",
        observedPeak,
        simulatedPeak,
        seconds(s.path("scaleUpSeconds")),
        seconds(s.path("scaleDownSeconds")),
        s.path("timeline").size());
    out.println(
        "traffic  "
            + service.connectionsByPod().size()
            + " pods got connections: "
            + service.connectionsByPod());
    out.flush();
  }

  private static String seconds(JsonNode n) {
    return n.isNumber() ? Math.round(n.asDouble()) + "s" : "not seen";
  }
}
