package dev.surge.hpa;

import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;

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

  public Planner(
      HpaSpec hpa,
      Workload workload,
      double cpuPerRequestSeconds,
      double idleMillicores,
      double startupSeconds) {
    if (!(cpuPerRequestSeconds > 0)) {
      throw new IllegalArgumentException(
          "CPU per request must be > 0, got " + cpuPerRequestSeconds);
    }
    this.hpa = hpa;
    this.workload = workload;
    this.cpuPerRequestSeconds = cpuPerRequestSeconds;
    this.idleMillicores = idleMillicores;
    this.startupSeconds = startupSeconds;
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
    // the band's top
    // (the tolerance lets utilization run 10 % over target), where a little noise on a real cluster
    // adds a pod.
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

  /** Requests/s one pod serves at the target utilization. */
  public double perPodRate() {
    double atTarget =
        workload.cpuRequestMillicores() * hpa.targetUtilizationPercent() / 100.0 - idleMillicores;
    if (atTarget <= 0) {
      throw new IllegalArgumentException(
          "idle CPU "
              + idleMillicores
              + "m already meets the target of "
              + hpa.targetUtilizationPercent()
              + "% of "
              + workload.cpuRequestMillicores()
              + "m: no rate is needed to scale");
    }
    return atTarget / (cpuPerRequestSeconds * 1000);
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
