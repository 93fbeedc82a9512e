package dev.surge.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.hpa.HpaController;
import dev.surge.hpa.ProfileRates;
import dev.surge.hpa.ReplicaCalculator;
import dev.surge.hpa.SimulationResult;
import dev.surge.hpa.Simulator;
import dev.surge.lab.controller.LabController;
import dev.surge.lab.controller.TimelineEntry;
import dev.surge.lab.ksm.ClusterState;
import dev.surge.lab.ksm.KubeStateMetrics;
import dev.surge.lab.metrics.CpuSampler;
import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.ReplicaSet;
import dev.surge.lab.prometheus.PrometheusServer;
import dev.surge.lab.service.Balancer;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.report.HtmlReport;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scaling.ScalingSample;
import dev.surge.loadgen.scaling.ScalingSection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One lab run: the Service (balancer) first, then minReplicas pods until ready, the CPU sampler,
 * and — once the load engine starts sending — the HPA controller; at the end they stop in reverse
 * order (controller, pods drained by SIGTERM, sampler, Service). A failure at any step stops what
 * already started. A shutdown hook turns Ctrl-C or SIGTERM into the run's stop flag and holds the
 * JVM until the pods are gone (killing them if that takes too long), so no pod outlives the lab;
 * the pods also exit by themselves when the lab process disappears ({@code SURGE_PARENT_PID}).
 */
public final class Lab {
  /** Longest the shutdown hook holds the JVM for a clean stop before it kills the pods. */
  static final long HOOK_WAIT_SECONDS = 45;

  private final LabPlan plan;
  private final Balancer service;
  private final PrintWriter out;
  private final PrintWriter err;
  private final EventSink events;
  private final long originNanos = System.nanoTime();

  /**
   * @param service the already bound Service (its port is in the run's URL); the lab owns and
   *     closes it
   */
  public Lab(LabPlan plan, Balancer service, PrintWriter out, PrintWriter err) {
    this.plan = plan;
    this.service = service;
    this.out = out;
    this.err = err;
    this.events = EventSink.console(out);
  }

  private double clock() {
    return (System.nanoTime() - originNanos) / 1e9;
  }

  /** Runs the lab with {@code load} and returns the load run's exit code. */
  @SuppressWarnings("try") // Prometheus only has to be running (and be closed) around the load
  public int run(RunConfig load, String version) throws IOException, InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    ReplicaSet pods =
        new ReplicaSet(
            plan.template(),
            plan.appJar(),
            plan.workDir(),
            this::clock,
            service::endpoints,
            events);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                if (!finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                  pods.killAll();
                }
              } catch (InterruptedException e) {
                pods.killAll();
                Thread.currentThread().interrupt();
              }
            },
            "surge-lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (service;
        pods;
        CpuSampler cpu =
            new CpuSampler(plan.timing().metricWindowSeconds(), pods::pids, this::clock)) {
      int min = plan.timing().hpa().minReplicas();
      pods.scaleTo(min);
      cpu.start();
      if (!pods.awaitReady(min, plan.readyTimeout(), stop::get)) {
        if (stop.get()) {
          return 1;
        }
        err.println(
            "error: "
                + min
                + " pods were not ready within "
                + plan.readyTimeout().toSeconds()
                + "s (see the pod logs in "
                + plan.workDir()
                + ")");
        return 1;
      }
      AtomicReference<LabController> controllerRef = new AtomicReference<>();
      try (KubeStateMetrics ksm =
              plan.prometheus().isPresent()
                  ? KubeStateMetrics.start(() -> clusterState(pods, controllerRef.get()))
                  : null;
          PrometheusServer prometheus = startPrometheus(ksm, pods)) {
        return runLoad(load, version, pods, cpu, stop, controllerRef);
      }
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running (Ctrl-C or SIGTERM): it ends now that the pods are gone.
      }
    }
  }

  private PrometheusServer startPrometheus(KubeStateMetrics ksm, ReplicaSet pods)
      throws IOException, InterruptedException {
    if (plan.prometheus().isEmpty()) {
      return null;
    }
    LabPlan.PrometheusPlan p = plan.prometheus().get();
    PrometheusServer server =
        PrometheusServer.start(
            p.binary(),
            plan.workDir().resolve("prometheus"),
            p.rules(),
            p.scrapeIntervalSeconds(),
            ksm.port(),
            () -> metricsPorts(pods),
            p.labels());
    out.println(
        "prometheus "
            + server.url()
            + " (scrapes every pod as the ServiceMonitor does, every "
            + p.scrapeIntervalSeconds()
            + "s; rules from the PrometheusRule; kube-state-metrics at http://127.0.0.1:"
            + ksm.port()
            + "/metrics)");
    out.println(
        "           e.g. "
            + server.url()
            + "/graph?g0.expr=kube_horizontalpodautoscaler_status_current_replicas");
    out.flush();
    return server;
  }

  private static Map<String, Integer> metricsPorts(ReplicaSet pods) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Pod p : pods.pods()) {
      if (p.metricsPort() > 0 && p.phase() != Pod.Phase.EXITED) {
        m.put(p.name(), p.metricsPort());
      }
    }
    return m;
  }

  private ClusterState clusterState(ReplicaSet pods, LabController controller) {
    TimelineEntry latest = controller == null ? null : controller.latest();
    List<ClusterState.PodInfo> infos = new ArrayList<>();
    for (Pod p : pods.pods()) {
      infos.add(
          new ClusterState.PodInfo(
              p.name(),
              p.phase() == Pod.Phase.PENDING ? "Pending" : "Running",
              p.serving(),
              plan.template().cpuRequestMillicores() / 1000.0,
              plan.template().memoryRequestBytes()));
    }
    var hpa = plan.timing().hpa();
    return new ClusterState(
        hpa.namespace().isEmpty() ? "default" : hpa.namespace(),
        hpa.name(),
        hpa.targetName(),
        hpa.minReplicas(),
        hpa.maxReplicas(),
        hpa.targetUtilizationPercent(),
        pods.replicas(),
        latest == null ? pods.replicas() : latest.desiredReplicas(),
        latest == null ? -1 : latest.utilizationPercent(),
        infos);
  }

  /**
   * Waits until the first pods' CPU has come down from their start-up (JIT compilation, class
   * loading) to an idle level — below a fifth of the request over a whole metric window — so the
   * load starts on pods that are as settled as the simulator's (which exist long before the run),
   * and returns their idle CPU in millicores for the simulator. Bounded: after four windows (at
   * least 20 s) the load starts anyway and the output says so.
   */
  private double settle(ReplicaSet pods, CpuSampler cpu, AtomicBoolean stop)
      throws InterruptedException {
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

  private int runLoad(
      RunConfig load,
      String version,
      ReplicaSet pods,
      CpuSampler cpu,
      AtomicBoolean stop,
      AtomicReference<LabController> controllerRef)
      throws IOException, InterruptedException {
    double startup = averageStartup(pods.pods());
    out.printf(
        Locale.ROOT,
        "lab      %d pods ready (start-up %.1fs each); waiting for their start-up CPU to settle%n",
        pods.readyReplicas(),
        startup);
    out.flush();
    double idle = settle(pods, cpu, stop);
    CpuSampler.Totals before = cpu.totals();
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    out.printf(Locale.ROOT, "lab      idle CPU %.0fm per pod; the load starts%n", idle);
    out.flush();
    try (LabController controller =
        new LabController(
            new HpaController(plan.timing().hpa(), ReplicaCalculator.defaults()),
            pods,
            cpu,
            plan.timing().syncPeriodSeconds(),
            this::clock,
            events)) {
      controllerRef.set(controller);
      LoadRun.Outcome outcome =
          new LoadRun(load, out, err, version)
              .progressSuffix(controller::progressText)
              .intervalListener(i -> served.addAndGet(i.completed()))
              .scaling(
                  () -> {
                    // The last sync may be running as sending ends: let it finish and count.
                    controller.stop();
                    // The simulated series uses what a request really cost the pods in this run
                    // (JIT, GC and HTTP handling on top of the burn), so observed and simulated
                    // differ only by what the model leaves out, not by a guessed input.
                    double measured =
                        cpu.totals()
                            .cpuPerRequestSince(before, served.get(), idle)
                            .orElse(plan.cpuPerRequestSeconds());
                    SimulationResult simulated = simulate(load, startup, idle, measured);
                    ObjectNode scaling =
                        scaling(controller.timeline(), simulated, startup, idle, measured);
                    podStartups((ObjectNode) scaling.path("lab"), pods);
                    return scaling;
                  })
              .execute(stop, port -> controller.start());
      ObjectNode result = ResultWriter.JSON.valueToTree(outcome.result());
      printScaling(result);
      if (plan.report() != null) {
        String html =
            HtmlReport.render(
                result, load.out().map(p -> p.getFileName().toString()).orElse("lab run"));
        Files.writeString(plan.report(), html, StandardCharsets.UTF_8);
        out.println("report   " + plan.report());
      }
      out.println("lab      stopping: every pod gets SIGTERM and drains");
      out.flush();
      return outcome.exitCode();
    }
  }

  /**
   * The lab's {@code podStartups}: every pod's process start to first Ready, in seconds, and the
   * start-up archive it used ({@code appcds}, {@code aot-cache} or {@code none}).
   */
  private static void podStartups(ObjectNode lab, ReplicaSet pods) {
    lab.put("startupArchive", pods.archive().kind().key());
    ArrayNode startups = lab.putArray("podStartups");
    for (ReplicaSet.PodStartup s : pods.startups()) {
      startups
          .addObject()
          .put("pod", s.pod())
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
      n.put("utilizationPercent", timeline.get(i).utilizationPercent());
      n.put("reason", timeline.get(i).reason());
    }
    ObjectNode lab = ordered.putObject("lab");
    lab.put("hpa", plan.timing().hpa().name());
    lab.put("minReplicas", plan.timing().hpa().minReplicas());
    lab.put("maxReplicas", plan.timing().hpa().maxReplicas());
    lab.put("manifestMaxReplicas", plan.manifestMaxReplicas());
    lab.put("targetUtilizationPercent", plan.timing().hpa().targetUtilizationPercent());
    lab.put("syncPeriodSeconds", plan.timing().syncPeriodSeconds());
    lab.put("metricWindowSeconds", plan.timing().metricWindowSeconds());
    lab.put("cpuPerRequestSeconds", plan.cpuPerRequestSeconds());
    lab.put("measuredCpuPerRequestSeconds", Math.round(measuredCpuPerRequest * 1e6) / 1e6);
    lab.put("cpuRequestMillicores", plan.template().cpuRequestMillicores());
    lab.put("podStartupSeconds", Math.round(startup * 10) / 10.0);
    lab.put("idleCpuMillicores", Math.round(idle));
    ArrayNode changes = lab.putArray("differsFromManifest");
    plan.timing().changes().forEach(changes::add);
    return ordered;
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

  private static String seconds(com.fasterxml.jackson.databind.JsonNode n) {
    return n.isNumber() ? Math.round(n.asDouble()) + "s" : "not seen";
  }
}
