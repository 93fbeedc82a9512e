package dev.surge.hpa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Plays a rate profile against a Deployment scaled by an HPA, second by second, and records what
 * the controller does at every sync. The load model: the offered rate × CPU seconds per request,
 * spread evenly over the ready pods (as a Service spreads it), plus an idle CPU per pod; a new pod
 * serves only after its start-up time; metrics-server reports the average usage over its window,
 * and only for pods running at least one window.
 *
 * <pre>{@code
 * SimulationResult r = Simulator.builder().hpa(spec).workload(workload).cpuPerRequestSeconds(0.020)
 *     .rate(profile).build().run();
 * }</pre>
 */
public final class Simulator {
  private final HpaSpec hpa;
  private final Workload workload;
  private final double cpuPerRequestSeconds;
  private final RateFunction rate;
  private final double startupSeconds;
  private final double startupCpuMillicores;
  private final double idleCpuMillicores;
  private final int metricWindowSeconds;
  private final int syncPeriodSeconds;
  private final int tailSeconds;
  private final int initialReplicas;
  private final double pricePerVcpuHour;
  private final double pricePerGibHour;
  private final ReplicaCalculator calculator;
  private final double memoryPerPodBytes;
  private final double memoryPerRequestBytes;

  private Simulator(Builder b) {
    if (b.hpa == null || b.workload == null || b.rate == null) {
      throw new IllegalStateException("hpa, workload and rate are required");
    }
    this.hpa = b.hpa;
    this.workload = b.workload;
    this.cpuPerRequestSeconds = b.cpuPerRequestSeconds;
    this.rate = b.rate;
    this.startupSeconds = b.startupSeconds;
    this.startupCpuMillicores = b.startupCpuMillicores;
    this.idleCpuMillicores = b.idleCpuMillicores;
    this.metricWindowSeconds = b.metricWindowSeconds;
    this.syncPeriodSeconds = b.syncPeriodSeconds;
    this.tailSeconds = b.tailSeconds;
    this.initialReplicas = b.initialReplicas > 0 ? b.initialReplicas : b.hpa.minReplicas();
    this.pricePerVcpuHour = b.pricePerVcpuHour;
    this.pricePerGibHour = b.pricePerGibHour;
    this.calculator = b.calculator;
    this.memoryPerPodBytes = b.memoryPerPodBytes;
    this.memoryPerRequestBytes = b.memoryPerRequestBytes;
    for (MetricSpec m : hpa.metrics()) {
      if (m.isCpu()
          && m.targetType() == MetricSpec.TargetType.UTILIZATION
          && workload.cpuRequestMillicores() <= 0) {
        throw new IllegalArgumentException(
            "the HPA's "
                + m.label()
                + " utilization target needs a CPU request on the Deployment's containers");
      }
      if (m.isResource() && m.name().equals("memory")) {
        if (m.targetType() == MetricSpec.TargetType.UTILIZATION
            && workload.memoryRequestBytes() <= 0) {
          throw new IllegalArgumentException(
              "the HPA's "
                  + m.label()
                  + " utilization target needs a memory request on the Deployment's containers");
        }
        if (!(memoryPerPodBytes > 0)) {
          throw new IllegalArgumentException(
              "the HPA scales on "
                  + m.label()
                  + ": give the memory one pod uses (--memory-per-pod)");
        }
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * One pod of the simulated Deployment; its usage history is kept per whole second from its
   * creation.
   */
  private static final class SimPod {
    final String name;
    final double createdAt;
    final double readyAt;
    final List<Double> usage = new ArrayList<>();
    final List<Double> served = new ArrayList<>();
    final int firstSecond;
    double peakServed;

    SimPod(String name, double createdAt, double readyAt, int firstSecond) {
      this.name = name;
      this.createdAt = createdAt;
      this.readyAt = readyAt;
      this.firstSecond = firstSecond;
    }

    double usageAt(int second, double idle) {
      int i = second - firstSecond;
      return i >= 0 && i < usage.size() ? usage.get(i) : idle;
    }

    double servedAt(int second) {
      int i = second - firstSecond;
      return i >= 0 && i < served.size() ? served.get(i) : 0;
    }
  }

  /** Runs the simulation over the profile plus the tail. */
  public SimulationResult run() {
    HpaController controller = new HpaController(hpa, calculator);
    List<SimPod> pods = new ArrayList<>();
    int podSeq = 0;
    for (int i = 0; i < initialReplicas; i++) {
      // Pods that exist before the run started long ago and are ready.
      pods.add(new SimPod("pod-" + podSeq++, -86_400, -86_400 + startupSeconds, 0));
    }
    int end = (int) Math.ceil(rate.durationSeconds()) + tailSeconds;
    List<SimulationResult.Step> steps = new ArrayList<>();
    double replicaSeconds = 0;
    double unserved = 0;
    Double firstScaleUp = null;
    List<Double> offeredHistory = new ArrayList<>();
    Optional<KedaScaling> keda = hpa.keda().filter(KedaScaling::scaleToZero);
    // The ScaledObject exists long before the run, as the initial pods do.
    Optional<KedaOperator> operator = keda.map(k -> new KedaOperator(hpa, -86_400));
    for (int second = 0; second <= end; second++) {
      final int s = second;
      if (operator.isPresent() && s % keda.get().pollingIntervalSeconds() == 0) {
        // KEDA's own loop: activation from zero and the cooldown back to zero (or idle).
        KedaOperator.Poll poll =
            operator.get().poll(s, pods.size(), new SimReadings(pods, offeredHistory, s));
        if (poll.replicas() != pods.size()) {
          if (poll.replicas() > pods.size()) {
            for (int i = pods.size(); i < poll.replicas(); i++) {
              pods.add(new SimPod("pod-" + podSeq++, s, s + startupSeconds, s));
            }
            if (firstScaleUp == null) {
              firstScaleUp = (double) s;
            }
          } else {
            pods.sort(
                Comparator.comparing((SimPod p) -> p.readyAt <= s)
                    .thenComparing(p -> -p.createdAt));
            pods.subList(0, pods.size() - poll.replicas()).clear();
          }
          int ready = (int) pods.stream().filter(p -> p.readyAt <= s).count();
          steps.add(
              new SimulationResult.Step(
                  s, rate.rateAt(s), pods.size(), ready, -1, -1, poll.reason(), "keda", List.of()));
        }
      }
      if (s % syncPeriodSeconds == 0) {
        int current = pods.size();
        List<PodState> states = new ArrayList<>();
        for (SimPod pod : pods) {
          states.add(podState(pod, s));
        }
        HpaController.Decision d =
            controller.reconcile(s, current, states, new SimReadings(pods, offeredHistory, s));
        if (d.replicas() > current) {
          if (firstScaleUp == null) {
            firstScaleUp = (double) s;
          }
          for (int i = current; i < d.replicas(); i++) {
            pods.add(new SimPod("pod-" + podSeq++, s, s + startupSeconds, s));
          }
        } else if (d.replicas() < current) {
          // A ReplicaSet deletes unready pods first, then the newest.
          pods.sort(
              Comparator.comparing((SimPod p) -> p.readyAt <= s).thenComparing(p -> -p.createdAt));
          pods.subList(0, current - d.replicas()).clear();
        }
        int ready = (int) pods.stream().filter(p -> p.readyAt <= s).count();
        steps.add(
            new SimulationResult.Step(
                s,
                rate.rateAt(s),
                pods.size(),
                ready,
                d.proposed(),
                d.utilizationPercent(),
                d.reason(),
                d.metric(),
                d.proposals()));
      }
      if (s == end) {
        break;
      }
      double offered = rate.rateAt(s + 0.5);
      offeredHistory.add(offered);
      double demand = offered * cpuPerRequestSeconds * 1000;
      List<SimPod> serving = pods.stream().filter(p -> p.readyAt <= s).toList();
      boolean short_ = offered > 0 && serving.isEmpty();
      for (SimPod pod : pods) {
        double u;
        if (pod.readyAt <= s) {
          double perPod = offered / serving.size();
          pod.served.add(perPod);
          pod.peakServed = Math.max(pod.peakServed, perPod);
          u = idleCpuMillicores + demand / serving.size();
          if (workload.cpuLimitMillicores() > 0 && u > workload.cpuLimitMillicores()) {
            u = workload.cpuLimitMillicores();
            short_ = true;
          }
        } else {
          pod.served.add(0.0);
          u = startupCpuMillicores;
        }
        pod.usage.add(u);
      }
      if (short_) {
        unserved++;
      }
      replicaSeconds += pods.size();
    }
    return summarize(steps, firstScaleUp, replicaSeconds, unserved);
  }

  /**
   * The metrics APIs over the simulated pods: CPU and memory from metrics-server (once a pod has
   * run one window), each pod's served requests/s for {@code Pods} metrics, the offered requests/s
   * for {@code Object} and {@code External} metrics (what an ingress or a queue in front sees).
   */
  private final class SimReadings implements MetricReadings {
    private final Map<String, SimPod> byName = new HashMap<>();
    private final List<Double> offered;
    private final int now;

    SimReadings(List<SimPod> pods, List<Double> offered, int now) {
      for (SimPod p : pods) {
        byName.put(p.name, p);
      }
      this.offered = offered;
      this.now = now;
    }

    @Override
    public Optional<PodState.Metric> podSample(MetricSpec metric, PodState state) {
      SimPod pod = byName.get(state.name());
      if (pod == null || now - pod.createdAt < metricWindowSeconds) {
        return Optional.empty();
      }
      double share = share(metric);
      double value;
      if (metric.isCpu()) {
        double sum = 0;
        for (int s = now - metricWindowSeconds; s < now; s++) {
          sum += pod.usageAt(s, idleCpuMillicores);
        }
        value = Math.round(sum / metricWindowSeconds) * share;
      } else if (metric.isResource()) {
        value = memoryBytes(pod) * share * 1000;
      } else {
        double sum = 0;
        for (int s = now - metricWindowSeconds; s < now; s++) {
          sum += pod.servedAt(s);
        }
        value = sum / metricWindowSeconds * 1000;
      }
      return Optional.of(new PodState.Metric(Math.round(value), now, metricWindowSeconds));
    }

    @Override
    public long podRequest(MetricSpec metric, PodState pod) {
      if (!metric.isResource()) {
        return 0;
      }
      double share = share(metric);
      return metric.isCpu()
          ? Math.round(workload.cpuRequestMillicores() * share)
          : Math.round(workload.memoryRequestBytes() * share) * 1000;
    }

    private double share(MetricSpec metric) {
      return metric.container().map(c -> workload.containerShare(c, metric.name())).orElse(1.0);
    }

    @Override
    public OptionalLong objectValue(MetricSpec metric) {
      return offeredRate();
    }

    @Override
    public OptionalLong externalValue(MetricSpec metric) {
      return offeredRate();
    }

    private OptionalLong offeredRate() {
      int from = Math.max(0, now - metricWindowSeconds);
      if (now <= from) {
        return OptionalLong.of(0);
      }
      double sum = 0;
      for (int s = from; s < now; s++) {
        sum += s < offered.size() ? offered.get(s) : 0;
      }
      return OptionalLong.of(Math.round(sum / (now - from) * 1000));
    }
  }

  /**
   * A pod's memory: the base a pod uses plus the per-request term at the highest rate it has
   * served. A JVM's heap grows to what the load needed and is rarely handed back to the OS, so the
   * working set does not fall when the load does.
   */
  private double memoryBytes(SimPod pod) {
    return memoryPerPodBytes + memoryPerRequestBytes * pod.peakServed;
  }

  private PodState podState(SimPod pod, int now) {
    boolean ready = pod.readyAt <= now;
    Optional<PodState.Metric> metric = Optional.empty();
    if (now - pod.createdAt >= metricWindowSeconds) {
      double sum = 0;
      for (int s = now - metricWindowSeconds; s < now; s++) {
        sum += pod.usageAt(s, idleCpuMillicores);
      }
      metric =
          Optional.of(
              new PodState.Metric(Math.round(sum / metricWindowSeconds), now, metricWindowSeconds));
    }
    return new PodState(
        pod.name,
        PodState.Phase.RUNNING,
        false,
        pod.createdAt,
        Optional.of(ready),
        ready ? pod.readyAt : pod.createdAt,
        workload.cpuRequestMillicores(),
        metric);
  }

  private SimulationResult summarize(
      List<SimulationResult.Step> steps,
      Double firstScaleUp,
      double replicaSeconds,
      double unserved) {
    int peak =
        steps.stream().mapToInt(SimulationResult.Step::replicas).max().orElse(initialReplicas);
    Double plateau = null;
    Double backToMin = null;
    if (firstScaleUp != null) {
      for (SimulationResult.Step step : steps) {
        if (plateau == null && step.replicas() == peak) {
          plateau = step.t();
        } else if (plateau != null && step.replicas() <= hpa.minReplicas()) {
          backToMin = step.t();
          break;
        }
      }
    }
    double hours = replicaSeconds / 3600;
    double cost =
        hours
            * (workload.cpuRequestMillicores() / 1000.0 * pricePerVcpuHour
                + workload.memoryRequestBytes() / (1024.0 * 1024 * 1024) * pricePerGibHour);
    return new SimulationResult(
        steps, firstScaleUp, plateau, backToMin, peak, replicaSeconds, cost, unserved);
  }

  /** Settings of a {@link Simulator}. */
  public static final class Builder {
    private HpaSpec hpa;
    private Workload workload;
    private double cpuPerRequestSeconds;
    private RateFunction rate;
    private double startupSeconds = 20;
    private double startupCpuMillicores;
    private double idleCpuMillicores;
    private int metricWindowSeconds = 15;
    private int syncPeriodSeconds = 15;
    private int tailSeconds = 600;
    private int initialReplicas;
    private double pricePerVcpuHour;
    private double pricePerGibHour;
    private ReplicaCalculator calculator = ReplicaCalculator.defaults();
    private double memoryPerPodBytes;
    private double memoryPerRequestBytes;

    private Builder() {}

    /**
     * Memory one running pod uses without load (a JVM's committed heap, metaspace and code cache).
     * Required when the HPA has a memory metric. Default is 0.
     */
    public Builder memoryPerPodBytes(double bytes) {
      if (!(bytes >= 0)) {
        throw new IllegalArgumentException("memory per pod must be >= 0, got " + bytes);
      }
      this.memoryPerPodBytes = bytes;
      return this;
    }

    /**
     * Memory a pod adds per request/s it serves, kept at the pod's highest rate (the heap does not
     * shrink back). Default is 0.
     */
    public Builder memoryPerRequestBytes(double bytes) {
      if (!(bytes >= 0)) {
        throw new IllegalArgumentException("memory per request must be >= 0, got " + bytes);
      }
      this.memoryPerRequestBytes = bytes;
      return this;
    }

    /** The HPA. Required. */
    public Builder hpa(HpaSpec hpa) {
      this.hpa = hpa;
      return this;
    }

    /** The pods' requests and limit. Required. */
    public Builder workload(Workload workload) {
      this.workload = workload;
      return this;
    }

    /** CPU seconds one request costs. Default is 0. */
    public Builder cpuPerRequestSeconds(double seconds) {
      if (!(seconds >= 0)) {
        throw new IllegalArgumentException("CPU per request must be >= 0, got " + seconds);
      }
      this.cpuPerRequestSeconds = seconds;
      return this;
    }

    /** The offered rate. Required. */
    public Builder rate(RateFunction rate) {
      this.rate = rate;
      return this;
    }

    /** Seconds from pod creation until it is ready and serves. Default is 20. */
    public Builder startupSeconds(double seconds) {
      if (!(seconds >= 0)) {
        throw new IllegalArgumentException("pod start-up must be >= 0 s, got " + seconds);
      }
      this.startupSeconds = seconds;
      return this;
    }

    /** CPU a pod burns while starting (a JVM's start-up). Default is 0. */
    public Builder startupCpuMillicores(double millicores) {
      this.startupCpuMillicores = millicores;
      return this;
    }

    /** CPU a serving pod burns without load. Default is 0. */
    public Builder idleCpuMillicores(double millicores) {
      this.idleCpuMillicores = millicores;
      return this;
    }

    /** metrics-server's averaging window in seconds. Default is 15. */
    public Builder metricWindowSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException("metric window must be >= 1 s, got " + seconds);
      }
      this.metricWindowSeconds = seconds;
      return this;
    }

    /**
     * The controller's sync period ({@code --horizontal-pod-autoscaler-sync-period}). Default is
     * 15.
     */
    public Builder syncPeriodSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException("sync period must be >= 1 s, got " + seconds);
      }
      this.syncPeriodSeconds = seconds;
      return this;
    }

    /** Seconds simulated after the profile ends, to see the scale-in. Default is 600. */
    public Builder tailSeconds(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("tail must be >= 0 s, got " + seconds);
      }
      this.tailSeconds = seconds;
      return this;
    }

    /** Replicas at the start. Default is the HPA's minReplicas. */
    public Builder initialReplicas(int replicas) {
      this.initialReplicas = replicas;
      return this;
    }

    /** Price of one vCPU of requests per hour. Default is 0. */
    public Builder pricePerVcpuHour(double price) {
      this.pricePerVcpuHour = price;
      return this;
    }

    /** Price of one GiB of memory requests per hour. Default is 0. */
    public Builder pricePerGibHour(double price) {
      this.pricePerGibHour = price;
      return this;
    }

    /** The replica calculation. Default is {@link ReplicaCalculator#defaults()}. */
    public Builder calculator(ReplicaCalculator calculator) {
      this.calculator = calculator;
      return this;
    }

    public Simulator build() {
      return new Simulator(this);
    }
  }
}
