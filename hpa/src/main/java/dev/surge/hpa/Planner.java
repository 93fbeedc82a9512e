package dev.surge.hpa;

import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers "what rate do I need for N replicas?" from the HPA, the pod's CPU request and the CPU one
 * request costs.
 *
 * <p>The rate at which N pods run exactly at the target is closed-form: {@code N × (request ×
 * target − idle) / cpu per request}. Which constant rates actually <em>settle</em> at N depends on
 * the tolerance band, the integer truncation and the scale-up limits on the way from minReplicas,
 * so those are found by running the {@link Simulator} at constant rates and bisecting.
 *
 * <pre>{@code
 * Planner.Plan p = new Planner(hpa, workload, 0.020, 0).plan(5);
 * p.rateForReplicas(); p.profile(); // e.g. "ramp:0->7.8/2m,hold:7.8/3m,ramp:7.8->0/1m,pause:7m"
 * }</pre>
 */
public final class Planner {
  /** Bisection stops at this rate resolution (requests/s). */
  static final double RESOLUTION = 0.01;

  private static final int SETTLE_SECONDS = 1200;

  private final HpaSpec hpa;
  private final Workload workload;
  private final double cpuPerRequestSeconds;
  private final double idleMillicores;
  private final double startupSeconds;
  private final double memoryPerPodBytes;
  private final double memoryPerRequestBytes;

  public Planner(
      HpaSpec hpa,
      Workload workload,
      double cpuPerRequestSeconds,
      double idleMillicores,
      double startupSeconds) {
    this(hpa, workload, cpuPerRequestSeconds, idleMillicores, startupSeconds, 0, 0);
  }

  /**
   * A planner that also knows the pods' memory (for memory metrics).
   *
   * @param memoryPerPodBytes memory one pod uses without load
   * @param memoryPerRequestBytes memory a pod adds per request/s it serves
   */
  public Planner(
      HpaSpec hpa,
      Workload workload,
      double cpuPerRequestSeconds,
      double idleMillicores,
      double startupSeconds,
      double memoryPerPodBytes,
      double memoryPerRequestBytes) {
    boolean cpuMetric = hpa.metrics().stream().anyMatch(MetricSpec::isCpu);
    if (cpuMetric && !(cpuPerRequestSeconds > 0)) {
      throw new IllegalArgumentException(
          "CPU per request must be > 0, got " + cpuPerRequestSeconds);
    }
    this.hpa = hpa;
    this.workload = workload;
    this.cpuPerRequestSeconds = cpuPerRequestSeconds;
    this.idleMillicores = idleMillicores;
    this.startupSeconds = startupSeconds;
    this.memoryPerPodBytes = memoryPerPodBytes;
    this.memoryPerRequestBytes = memoryPerRequestBytes;
  }

  /**
   * What one metric allows per pod.
   *
   * @param metric the metric's label
   * @param perPodRate requests/s one pod serves with this metric exactly at its target; infinite
   *     when the metric does not grow with the rate (it never asks for more pods), 0 when it is
   *     over its target at any rate
   * @param note why the figure is what it is, when it is not a plain rate
   */
  public record MetricRate(String metric, double perPodRate, String note) {}

  /**
   * Each metric's per-pod rate at its target, in the HPA's order. The controller takes the largest
   * proposal, so the metric with the lowest per-pod rate binds.
   */
  public List<MetricRate> metricRates() {
    List<MetricRate> rates = new ArrayList<>();
    for (MetricSpec m : hpa.metrics()) {
      rates.add(metricRate(m));
    }
    return rates;
  }

  /** The metric that binds: the lowest per-pod rate (the first on a tie). */
  public MetricRate binding() {
    MetricRate best = null;
    for (MetricRate r : metricRates()) {
      double v = Double.isNaN(r.perPodRate()) ? Double.POSITIVE_INFINITY : r.perPodRate();
      double bv =
          best == null || Double.isNaN(best.perPodRate())
              ? Double.POSITIVE_INFINITY
              : best.perPodRate();
      if (best == null || v < bv) {
        best = r;
      }
    }
    return best;
  }

  private MetricRate metricRate(MetricSpec m) {
    boolean utilization = m.targetType() == MetricSpec.TargetType.UTILIZATION;
    if (m.isCpu()) {
      double share = m.container().map(c -> workload.containerShare(c, "cpu")).orElse(1.0);
      double targetMillicores =
          utilization ? workload.cpuRequestMillicores() * share * m.target() / 100.0 : m.target();
      double atTarget = targetMillicores - idleMillicores * share;
      if (atTarget <= 0) {
        throw new IllegalArgumentException(
            "idle CPU "
                + idleMillicores
                + "m already meets the "
                + m.label()
                + " target of "
                + m.targetText()
                + (utilization ? " of " + workload.cpuRequestMillicores() + "m" : "")
                + ": no rate is needed to scale");
      }
      return new MetricRate(m.label(), atTarget / (cpuPerRequestSeconds * share * 1000), "");
    }
    if (m.isResource()) {
      double share = m.container().map(c -> workload.containerShare(c, "memory")).orElse(1.0);
      double targetBytes =
          utilization
              ? workload.memoryRequestBytes() * share * m.target() / 100.0
              : m.target() / 1000.0;
      double room = targetBytes - memoryPerPodBytes * share;
      if (room <= 0) {
        return new MetricRate(
            m.label(), 0, "each pod's memory is over the target at any rate: it only scales up");
      }
      if (memoryPerRequestBytes <= 0) {
        return new MetricRate(
            m.label(),
            Double.POSITIVE_INFINITY,
            "memory does not grow with the rate; it never asks for more pods");
      }
      return new MetricRate(
          m.label(), room / (memoryPerRequestBytes * share), "at the pods' highest rate");
    }
    if (m.targetType() == MetricSpec.TargetType.VALUE) {
      return new MetricRate(
          m.label(),
          Double.NaN,
          "a Value target on a total does not settle at a count: above "
              + m.targetText()
              + " req/s it grows each sync, below it shrinks");
    }
    // Pods, Object and External AverageValue: requests/s per pod at the target.
    return new MetricRate(m.label(), m.target() / 1000.0, "");
  }

  /**
   * The plan for N replicas.
   *
   * @param replicas the N asked for
   * @param perPodRate requests/s one pod serves at exactly the target utilization
   * @param rateForReplicas requests/s at which N pods run at the target
   * @param settleLow lowest constant rate that settles at N or more, starting from minReplicas
   * @param settleHigh lowest constant rate that settles above N (so [low, high) settles at exactly
   *     N); infinite at max
   * @param rateForMax lowest constant rate that settles at maxReplicas
   * @param profileRate the rate the profile holds: the middle of [settleLow, settleHigh), or 5 %
   *     over the target rate for maxReplicas
   * @param profile a {@code run --profile} that ramps to the rate, holds until N is reached, ramps
   *     down, and waits for the scale-in
   * @param simulated what the simulator predicts for that profile
   */
  public record Plan(
      int replicas,
      double perPodRate,
      double rateForReplicas,
      double settleLow,
      double settleHigh,
      double rateForMax,
      double profileRate,
      String profile,
      SimulationResult simulated) {}

  public Plan plan(int replicas) {
    if (replicas < hpa.minReplicas() || replicas > hpa.maxReplicas()) {
      throw new IllegalArgumentException(
          "replicas must be within the HPA's min..max ("
              + hpa.minReplicas()
              + ".."
              + hpa.maxReplicas()
              + "), got "
              + replicas);
    }
    double perPod = perPodRate();
    double rate = replicas * perPod;
    double low = settleRate(replicas);
    double high =
        replicas == hpa.maxReplicas() ? Double.POSITIVE_INFINITY : settleRate(replicas + 1);
    double forMax = replicas == hpa.maxReplicas() ? low : settleRate(hpa.maxReplicas());
    // The profile holds the middle of the band that settles at N: the exact target rate sits near
    // the band's top (the tolerance lets utilization run 10 % over target), where a little noise on
    // a real cluster adds a pod.
    double chosen = Double.isInfinite(high) ? Math.max(rate, low) * 1.05 : (low + high) / 2;
    String profile = profile(round(chosen), SETTLE_SECONDS);
    SimulationResult sim = simulate(ProfileRates.of(RateProfile.parse(profile)));
    // Hold only as long as needed: until the plateau plus two syncs, at least 3 minutes, rounded to
    // whole minutes.
    double plateau = sim.plateauSeconds() == null ? 240 : sim.plateauSeconds();
    int hold = (int) Math.max(180, Math.ceil((plateau - 120 + 60) / 60.0) * 60);
    profile = profile(round(chosen), hold);
    sim = simulate(ProfileRates.of(RateProfile.parse(profile)));
    return new Plan(replicas, perPod, rate, low, high, forMax, round(chosen), profile, sim);
  }

  /**
   * Requests/s one pod serves when the binding metric is at its target (for a CPU-only HPA: the
   * request at the target utilization over the CPU per request).
   */
  public double perPodRate() {
    MetricRate b = binding();
    if (Double.isNaN(b.perPodRate()) || b.perPodRate() <= 0 || Double.isInfinite(b.perPodRate())) {
      throw new IllegalArgumentException(
          "no rate gives a replica count under this HPA: " + b.metric() + ": " + b.note());
    }
    return b.perPodRate();
  }

  /**
   * The replica count a constant {@code rate} settles at after 20 minutes, starting from
   * minReplicas.
   */
  public int settledReplicas(double rate) {
    SimulationResult r = simulate(RateFunction.constant(rate, SETTLE_SECONDS));
    return r.steps().get(r.steps().size() - 1).replicas();
  }

  /** The lowest constant rate that settles at {@code n} replicas or more. */
  double settleRate(int n) {
    double hi = n * perPodRate() * 1.2 + 1;
    while (settledReplicas(hi) < n) {
      hi *= 2;
      if (hi > 1e9) {
        throw new IllegalStateException("no rate settles at " + n + " replicas");
      }
    }
    double lo = 0;
    while (hi - lo > RESOLUTION) {
      double mid = (lo + hi) / 2;
      if (settledReplicas(mid) >= n) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return round(hi);
  }

  /**
   * Runs the model without a tail: the constant-rate runs end loaded, the plan's profile ends with
   * its own pause.
   */
  private SimulationResult simulate(RateFunction rate) {
    return Simulator.builder()
        .hpa(hpa)
        .workload(workload)
        .cpuPerRequestSeconds(cpuPerRequestSeconds)
        .idleCpuMillicores(idleMillicores)
        .startupSeconds(startupSeconds)
        .rate(rate)
        .memoryPerPodBytes(memoryPerPodBytes)
        .memoryPerRequestBytes(memoryPerRequestBytes)
        .tailSeconds(0)
        .build()
        .run();
  }

  /**
   * Up over 2 minutes, hold, down over 1 minute, then a pause long enough for the scale-down
   * stabilization window plus two minutes, so a run shows the scale-in too.
   */
  String profile(double rate, int holdSeconds) {
    int downWindow =
        hpa.behavior()
            .map(b -> b.scaleDown().stabilizationWindowSeconds())
            .orElse((int) HpaController.LEGACY_DOWNSCALE_WINDOW);
    String r = number(rate);
    return "ramp:0->"
        + r
        + "/2m,hold:"
        + r
        + "/"
        + Durations.format(holdSeconds)
        + ",ramp:"
        + r
        + "->0/1m,pause:"
        + Durations.format(downWindow + 120);
  }

  static double round(double rate) {
    return BigDecimal.valueOf(rate).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  static String number(double v) {
    return BigDecimal.valueOf(v)
        .setScale(2, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
