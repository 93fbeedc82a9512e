package dev.surge.lab.cost;

import java.util.List;
import java.util.Locale;

/**
 * What a lab run cost, as the FinOps dashboard prices it (requests are what the scheduler reserves,
 * so what a node pool is paid for), against a static Deployment over the same period: sized at the
 * run's observed peak, and at maxReplicas.
 *
 * <pre>{@code
 * RunCost c = RunCost.compute(lives, 0, 600, 500, 512L << 20, 420.0, 4, 10, Prices.dashboard());
 * c.summary(p99Millis, budgetUsedPercent); // "autoscaled cost 0.0123 USD, static at peak ..."
 * }</pre>
 *
 * @param periodSeconds the period priced (the load's, from its first to its last sync)
 * @param requestedCoreSeconds CPU requests over every pod's life within the period
 * @param requestedGibSeconds memory requests over every pod's life within the period
 * @param usedCoreSeconds CPU the pods used in the period (measured)
 * @param idleShare the share of the requested CPU not used: {@code 1 - used / requested}
 * @param cost the requests priced: core-hours × vCPU-hour price + GiB-hours × GiB-hour price
 * @param peakReplicas the most pods that existed at once in the period
 * @param staticAtPeak the same period with {@code peakReplicas} pods all along
 * @param staticAtMax the same period with maxReplicas pods all along
 * @param prices the unit prices
 */
public record RunCost(
    double periodSeconds,
    double requestedCoreSeconds,
    double requestedGibSeconds,
    double usedCoreSeconds,
    double idleShare,
    double cost,
    int peakReplicas,
    Static staticAtPeak,
    Static staticAtMax,
    Prices prices) {

  /** One pod's life on the lab's clock; {@code end} is NaN while it exists. */
  public record Life(double start, double end) {}

  /**
   * A static Deployment's figures for the same period.
   *
   * @param replicas its fixed replica count
   * @param requestedCoreSeconds its CPU requests over the period
   * @param requestedGibSeconds its memory requests over the period
   * @param cost priced as above
   * @param savingPercent how much less the autoscaled run cost than this: {@code (static -
   *     autoscaled) / static × 100} (negative when autoscaling cost more)
   */
  public record Static(
      int replicas,
      double requestedCoreSeconds,
      double requestedGibSeconds,
      double cost,
      double savingPercent) {}

  private static final double GIB = 1024.0 * 1024 * 1024;

  /**
   * Computes the figures of one period.
   *
   * @param lives every pod's life (a pod that still exists ends at {@code to})
   * @param from start of the period
   * @param to end of the period
   * @param cpuRequestMillicores each pod's CPU request
   * @param memoryRequestBytes each pod's memory request
   * @param usedCoreSeconds the CPU the pods used in the period
   * @param maxReplicas the HPA's maxReplicas (as the lab ran it)
   */
  public static RunCost compute(
      List<Life> lives,
      double from,
      double to,
      long cpuRequestMillicores,
      long memoryRequestBytes,
      double usedCoreSeconds,
      int maxReplicas,
      Prices prices) {
    if (!(to >= from)) {
      throw new IllegalArgumentException("the period must not end before it starts");
    }
    double podSeconds = 0;
    for (Life l : lives) {
      double end = Double.isNaN(l.end()) ? to : Math.min(l.end(), to);
      double start = Math.max(l.start(), from);
      podSeconds += Math.max(0, end - start);
    }
    double cores = cpuRequestMillicores / 1000.0;
    double gib = memoryRequestBytes / GIB;
    double requestedCore = podSeconds * cores;
    double requestedGib = podSeconds * gib;
    double cost = price(requestedCore, requestedGib, prices);
    double idle = requestedCore > 0 ? Math.max(0, 1 - usedCoreSeconds / requestedCore) : 0;
    int peak = peak(lives, from, to);
    double period = to - from;
    return new RunCost(
        period,
        requestedCore,
        requestedGib,
        usedCoreSeconds,
        idle,
        cost,
        peak,
        fixed(peak, period, cores, gib, cost, prices),
        fixed(maxReplicas, period, cores, gib, cost, prices),
        prices);
  }

  private static Static fixed(
      int replicas, double period, double cores, double gib, double autoscaled, Prices prices) {
    double core = replicas * period * cores;
    double mem = replicas * period * gib;
    double c = price(core, mem, prices);
    return new Static(replicas, core, mem, c, c > 0 ? (c - autoscaled) / c * 100 : 0);
  }

  static double price(double coreSeconds, double gibSeconds, Prices prices) {
    return coreSeconds / 3600 * prices.vcpuHour() + gibSeconds / 3600 * prices.gibHour();
  }

  /** The most lives overlapping at one instant within the period. */
  static int peak(List<Life> lives, double from, double to) {
    int peak = 0;
    for (Life a : lives) {
      double t = Math.max(a.start(), from); // the count only rises at a start
      if (t > to || (!Double.isNaN(a.end()) && a.end() <= t)) {
        continue;
      }
      int n = 0;
      for (Life b : lives) {
        if (b.start() <= t && (Double.isNaN(b.end()) || b.end() > t)) {
          n++;
        }
      }
      peak = Math.max(peak, n);
    }
    return peak;
  }

  /**
   * The summary line: {@code autoscaled cost 0.0123 USD, static at peak (4) 0.0200 USD (−38 %), at
   * maxReplicas (10) 0.0500 USD (−75 %); idle CPU 61 %; p99 85 ms, error budget used 2 %}.
   */
  public String summary(double p99Millis, double errorBudgetUsedPercent) {
    return String.format(
        Locale.ROOT,
        "autoscaled cost %s, static at peak (%d) %s (%s), at maxReplicas (%d) %s (%s); idle CPU"
            + " %.0f %%; p99 %.0f ms, error budget used %.1f %%",
        money(cost),
        staticAtPeak.replicas(),
        money(staticAtPeak.cost()),
        saving(staticAtPeak.savingPercent()),
        staticAtMax.replicas(),
        money(staticAtMax.cost()),
        saving(staticAtMax.savingPercent()),
        idleShare * 100,
        p99Millis,
        errorBudgetUsedPercent);
  }

  private String money(double v) {
    return String.format(Locale.ROOT, "%.4f %s", v, prices.currency());
  }

  private static String saving(double percent) {
    return String.format(Locale.ROOT, "%s%.0f %%", percent >= 0 ? "−" : "+", Math.abs(percent));
  }
}
