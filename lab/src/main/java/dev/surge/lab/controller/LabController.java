package dev.surge.lab.controller;

import dev.surge.hpa.HpaController;
import dev.surge.hpa.KedaOperator;
import dev.surge.hpa.KedaScaling;
import dev.surge.hpa.MetricReadings;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.PodState;
import dev.surge.lab.metrics.CpuWindow;
import dev.surge.lab.metrics.RequestCounts;
import dev.surge.lab.metrics.UsageSampler;
import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.ReplicaSet;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The lab's horizontal-pod-autoscaler controller: every sync period it shows the pods (phase,
 * readiness, start, CPU sample from the {@link UsageSampler}) to the same {@link HpaController}
 * {@code simulate} uses, and applies its decision to the {@link ReplicaSet}. It records each sync
 * for the result's timeline and the progress line.
 *
 * <p>Thread-safety: syncs run on the controller's own thread; {@link #timeline()} and {@link
 * #progressText()} may be called from any thread.
 */
public final class LabController implements AutoCloseable {
  private final HpaController hpa;
  private final ReplicaSet replicaSet;
  private final UsageSampler cpu;
  private final MetricReadings readings;
  private final RequestCounts requests = new RequestCounts();
  private final double syncPeriodSeconds;
  private final DoubleSupplier clock;
  private final EventSink events;
  private final PrintWriter err;
  private final List<TimelineEntry> timeline = new ArrayList<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-hpa-controller");
            t.setDaemon(true);
            return t;
          });
  private volatile TimelineEntry latest;
  private volatile KedaOperator keda;
  private volatile double origin;
  private volatile boolean started;

  public LabController(
      HpaController hpa,
      ReplicaSet replicaSet,
      UsageSampler cpu,
      double syncPeriodSeconds,
      DoubleSupplier clock,
      EventSink events,
      PrintWriter err) {
    this(hpa, replicaSet, cpu, MetricReadings.NONE, syncPeriodSeconds, clock, events, err);
  }

  /**
   * @param others the custom and external metrics APIs' readings ({@code Pods}, {@code Object},
   *     {@code External}); resource metrics come from {@code cpu}
   */
  public LabController(
      HpaController hpa,
      ReplicaSet replicaSet,
      UsageSampler cpu,
      MetricReadings others,
      double syncPeriodSeconds,
      DoubleSupplier clock,
      EventSink events,
      PrintWriter err) {
    this.hpa = hpa;
    this.replicaSet = replicaSet;
    this.cpu = cpu;
    this.readings =
        ResourceReadings.compose(
            new ResourceReadings(cpu, replicaSet.template().memoryRequestBytes()), others);
    this.syncPeriodSeconds = syncPeriodSeconds;
    this.clock = clock;
    this.events = events;
    this.err = err;
  }

  /**
   * Starts syncing now; timeline times count from this moment. For a ScaledObject that scales to
   * zero (or to its idle count) KEDA's operator loop starts too, on the same thread: the
   * ScaledObject is created now and polled every {@code pollingInterval} from now on, first.
   */
  public void start() {
    origin = clock.getAsDouble();
    started = true;
    KedaScaling k = hpa.spec().keda().filter(KedaScaling::scaleToZero).orElse(null);
    if (k != null) {
      keda = new KedaOperator(hpa.spec(), 0);
      var unusedPolls =
          executor.scheduleAtFixedRate(
              this::pollSafely, 0, k.pollingIntervalSeconds() * 1000L, TimeUnit.MILLISECONDS);
    }
    var unused =
        executor.scheduleAtFixedRate(
            this::syncSafely, 0, Math.round(syncPeriodSeconds * 1000), TimeUnit.MILLISECONDS);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (IOException e) {
      events.publish(
          new RunEvent(
              clock.getAsDouble() - origin,
              RunEvent.Kind.HPA,
              "keda",
              "scaling failed: " + e.getMessage()));
    } catch (RuntimeException e) {
      events.publish(
          new RunEvent(
              clock.getAsDouble() - origin,
              RunEvent.Kind.HPA,
              "keda",
              "poll failed (a bug in surge; trace on stderr): " + e));
      synchronized (err) {
        err.println("error: unexpected " + e.getClass().getName() + " in a KEDA poll:");
        e.printStackTrace(err);
        err.flush();
      }
    }
  }

  /**
   * One poll of KEDA's operator loop: when it changes the replica count (activation from zero,
   * deactivation after the cooldown), a {@code hpa keda} event with KEDA's reason and the trigger
   * values, and a timeline entry with that reason and driver {@code keda}.
   */
  void poll() throws IOException {
    double now = clock.getAsDouble();
    double t = now - origin;
    int current = replicaSet.replicas();
    KedaOperator.Poll p = keda.poll(t, current, readings);
    if (p.replicas() == current) {
      return;
    }
    events.publish(
        new RunEvent(
            t,
            RunEvent.Kind.HPA,
            "keda",
            String.format(
                Locale.ROOT,
                "%s: %d -> %d replicas (%s: %s)",
                time(t),
                current,
                p.replicas(),
                p.reason(),
                p.message())));
    replicaSet.scaleTo(p.replicas());
    TimelineEntry e =
        new TimelineEntry(
            Math.round(t * 1000) / 1000.0,
            replicaSet.replicas(),
            p.replicas(),
            replicaSet.readyReplicas(),
            Map.of(),
            -1,
            p.reason(),
            "keda",
            List.of());
    synchronized (timeline) {
      timeline.add(e);
    }
    latest = e;
  }

  private void syncSafely() {
    try {
      sync();
    } catch (IOException e) {
      // One failed sync (a pod that cannot start) is reported; the next sync tries again, as the
      // controller manager does.
      events.publish(
          new RunEvent(
              clock.getAsDouble() - origin,
              RunEvent.Kind.HPA,
              "",
              "sync failed: " + e.getMessage()));
    } catch (RuntimeException e) {
      // A bug: its trace is printed, and the next sync tries again (a thrown exception would
      // silently cancel the schedule).
      events.publish(
          new RunEvent(
              clock.getAsDouble() - origin,
              RunEvent.Kind.HPA,
              "",
              "sync failed (a bug in surge; trace on stderr): " + e));
      synchronized (err) {
        err.println("error: unexpected " + e.getClass().getName() + " in an HPA sync:");
        e.printStackTrace(err);
        err.flush();
      }
    }
  }

  void sync() throws IOException {
    double now = clock.getAsDouble();
    List<Pod> pods = replicaSet.pods();
    List<PodState> states = new ArrayList<>();
    Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    for (Pod p : pods) {
      states.add(state(p));
      if (p.metricsPort() > 0 && p.phase() != Pod.Phase.EXITED) {
        metricsPorts.put(p.name(), p.metricsPort());
      }
    }
    int current = replicaSet.replicas();
    HpaController.Decision d = hpa.reconcile(now, current, states, readings);
    List<TimelineEntry.MetricReading> metrics = readings(d);
    if (d.replicas() != current) {
      events.publish(
          new RunEvent(
              now - origin,
              RunEvent.Kind.HPA,
              "",
              String.format(
                  Locale.ROOT,
                  "%s: %d -> %d replicas (%s; driven by %s, %s)",
                  time(now - origin),
                  current,
                  d.replicas(),
                  readingsText(metrics),
                  d.metric().isEmpty() ? "none" : d.metric(),
                  d.reason())));
    }
    replicaSet.scaleTo(d.replicas());
    Map<String, Double> rates = requests.rates(metricsPorts, now);
    TimelineEntry e =
        new TimelineEntry(
            Math.round((now - origin) * 1000) / 1000.0,
            replicaSet.replicas(),
            d.replicas(),
            replicaSet.readyReplicas(),
            rates,
            d.utilizationPercent(),
            d.reason(),
            d.metric(),
            metrics);
    synchronized (timeline) {
      timeline.add(e);
    }
    latest = e;
  }

  /** Each metric's current value, target and proposal, in the units the HPA's targets use. */
  List<TimelineEntry.MetricReading> readings(HpaController.Decision d) {
    List<MetricSpec> specs = hpa.spec().metrics();
    List<TimelineEntry.MetricReading> out = new ArrayList<>();
    for (int i = 0; i < d.proposals().size() && i < specs.size(); i++) {
      HpaController.MetricProposal p = d.proposals().get(i);
      out.add(reading(specs.get(i), p.current(), p.replicas()));
    }
    return out;
  }

  static TimelineEntry.MetricReading reading(MetricSpec m, long current, int proposal) {
    String unit;
    double scale;
    if (m.targetType() == MetricSpec.TargetType.UTILIZATION) {
      unit = "%";
      scale = 1;
    } else if (m.isResource() && m.isCpu()) {
      unit = "m";
      scale = 1;
    } else if (m.isResource()) {
      unit = "bytes";
      scale = 1000;
    } else {
      unit = "";
      scale = 1000;
    }
    return new TimelineEntry.MetricReading(
        m.label(), current < 0 ? -1 : current / scale, m.target() / scale, unit, proposal);
  }

  /** {@code cpu 112%/70% -> 5, memory 85%/80% -> 4}. */
  static String readingsText(List<TimelineEntry.MetricReading> metrics) {
    List<String> parts = new ArrayList<>();
    for (TimelineEntry.MetricReading r : metrics) {
      parts.add(
          r.metric()
              + " "
              + value(r.current(), r.unit())
              + "/"
              + value(r.target(), r.unit())
              + (r.proposal() < 0 ? "" : " -> " + r.proposal()));
    }
    return parts.isEmpty() ? "no metrics" : String.join(", ", parts);
  }

  private static String value(double v, String unit) {
    if (v < 0) {
      return "?";
    }
    return switch (unit) {
      case "%" -> Math.round(v) + "%";
      case "m" -> Math.round(v) + "m";
      case "bytes" -> Math.round(v / (1024 * 1024)) + "Mi";
      default -> String.format(Locale.ROOT, "%.3g", v);
    };
  }

  private static String time(double seconds) {
    return String.format(Locale.ROOT, "%.0fs", seconds);
  }

  private PodState state(Pod p) {
    PodState.Phase phase =
        p.phase() == Pod.Phase.PENDING ? PodState.Phase.PENDING : PodState.Phase.RUNNING;
    Optional<PodState.Metric> metric =
        p.phase() == Pod.Phase.PENDING
            ? Optional.empty()
            : cpu.sample(p.name()).map(LabController::metric);
    return new PodState(
        p.name(),
        phase,
        p.phase() == Pod.Phase.TERMINATING || p.phase() == Pod.Phase.EXITED,
        p.createdAt(),
        Optional.of(p.ready()),
        p.readyTransitionTime(),
        replicaSet.template().cpuRequestMillicores(),
        metric);
  }

  private static PodState.Metric metric(CpuWindow.Sample s) {
    return new PodState.Metric(s.millicores(), s.timestamp(), s.windowSeconds());
  }

  /** Lab-clock seconds when syncing started (the load's start), NaN before. */
  public double origin() {
    return started ? origin : Double.NaN;
  }

  /** The last sync, null before the first. */
  public TimelineEntry latest() {
    return latest;
  }

  /** The syncs so far. */
  public List<TimelineEntry> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /**
   * For the progress line: {@code replicas 3/5 ready 3 cpu 112%/70% -> 5, memory 85%/80% -> 4
   * (cpu)}: each metric's current value against its target and what it proposed, and in parentheses
   * the metric that drove the decision.
   */
  public String progressText() {
    TimelineEntry e = latest;
    if (keda != null && replicaSet.replicas() == 0) {
      return "replicas 0/0 ready " + replicaSet.readyReplicas() + " (scaled to zero by KEDA)";
    }
    if (e == null) {
      return "replicas " + replicaSet.replicas() + "/? ready " + replicaSet.readyReplicas();
    }
    return String.format(
        Locale.ROOT,
        "replicas %d/%d ready %d %s%s",
        replicaSet.replicas(),
        e.desiredReplicas(),
        replicaSet.readyReplicas(),
        readingsText(e.metrics()),
        e.driver().isEmpty() ? "" : " (" + e.driver() + ")");
  }

  /** Stops syncing (the pods stay as they are). */
  @Override
  public void close() {
    stop();
  }

  /** Stops syncing after the sync in progress, if any, has finished. Idempotent. */
  public void stop() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
