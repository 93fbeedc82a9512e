package dev.surge.loadgen.cli;

import dev.surge.hpa.Flags;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.Planner;
import dev.surge.hpa.SimulationResult;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plan}: the rate that holds N replicas, the rate that reaches maxReplicas, and a ready-made
 * {@code run --profile} that shows a full scale-out and scale-in, with the simulator's prediction
 * for it.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Which rate gives N replicas under this HPA? Prints the rates and a ready-made --profile.")
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HpaOptions hpaOptions = new HpaOptions();

  @Option(
      names = "--cpu-per-request",
      required = true,
      paramLabel = "DUR",
      description = "CPU time one request costs (e.g. 20ms; see calibrate)")
  String cpuPerRequest;

  @Option(
      names = "--replicas",
      required = true,
      paramLabel = "N",
      description = "The replica count to plan for")
  String replicas;

  @Option(
      names = "--idle-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      description = "CPU a pod burns without load. Default: ${DEFAULT-VALUE}")
  String idleCpu;

  @Option(
      names = "--startup",
      paramLabel = "DUR",
      defaultValue = "20s",
      description = "Pod start-up time until it serves. Default: ${DEFAULT-VALUE}")
  String startup;

  @Override
  public Integer call() {
    HpaOptions.Resolved in = hpaOptions.resolve();
    double cpu = Flags.seconds("--cpu-per-request", cpuPerRequest);
    if (cpu <= 0) {
      throw new IllegalArgumentException("--cpu-per-request '" + cpuPerRequest + "': must be > 0");
    }
    int n = Flags.positiveInt("--replicas", replicas);
    HpaSpec hpa = in.hpa();
    if (n < hpa.minReplicas() || n > hpa.maxReplicas()) {
      throw new IllegalArgumentException(
          "--replicas '"
              + replicas
              + "': must be within the HPA's minReplicas..maxReplicas ("
              + hpa.minReplicas()
              + ".."
              + hpa.maxReplicas()
              + ")");
    }
    Planner planner =
        new Planner(
            hpa,
            in.workload(),
            cpu,
            Flags.millicores("--idle-cpu", idleCpu),
            Flags.seconds("--startup", startup));
    Planner.Plan p = Flags.parse("--idle-cpu", idleCpu, v -> planner.plan(n));
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "HPA %s: min %d, max %d, CPU target %d%% of %dm; %.1fms CPU per request%n",
        hpa.name(),
        hpa.minReplicas(),
        hpa.maxReplicas(),
        hpa.targetUtilizationPercent(),
        in.workload().cpuRequestMillicores(),
        cpu * 1000);
    w.printf(Locale.ROOT, "one pod at target:        %.2f req/s%n", p.perPodRate());
    w.printf(
        Locale.ROOT,
        "rate for %d replicas:      %.2f req/s (%d pods at %d%%)%n",
        n,
        p.rateForReplicas(),
        n,
        hpa.targetUtilizationPercent());
    w.printf(
        Locale.ROOT,
        "settles at %d replicas:    %.2f .. %s req/s (constant rates, from %d replicas)%n",
        n,
        p.settleLow(),
        Double.isInfinite(p.settleHigh())
            ? "any"
            : String.format(Locale.ROOT, "%.2f", p.settleHigh()),
        hpa.minReplicas());
    w.printf(
        Locale.ROOT, "reaches max (%d):          %.2f req/s%n", hpa.maxReplicas(), p.rateForMax());
    w.printf(Locale.ROOT, "profile (holds %.2f req/s): %s%n", p.profileRate(), p.profile());
    SimulationResult s = p.simulated();
    w.printf(
        Locale.ROOT,
        "predicted:                first scale-up %s, %d replicas at %s, back to %d at %s%n",
        seconds(s.firstScaleUpSeconds()),
        s.peakReplicas(),
        seconds(s.plateauSeconds()),
        hpa.minReplicas(),
        seconds(s.backToMinSeconds()));
    w.printf(
        "run it:                   surge-loadgen run --url URL --profile \"%s\"%n", p.profile());
    w.flush();
    return 0;
  }

  private static String seconds(Double s) {
    return s == null ? "never" : String.format(Locale.ROOT, "%.0fs", s);
  }
}
