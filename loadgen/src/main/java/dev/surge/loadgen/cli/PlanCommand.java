package dev.surge.loadgen.cli;

import dev.surge.common.cli.Converters;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.Planner;
import dev.surge.hpa.SimulationOutput;
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
 * for it. With several metrics it names the one that binds (the lowest rate per pod).
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
      paramLabel = "DUR",
      converter = Converters.Seconds.class,
      description = "CPU time one request costs (e.g. 20ms; see calibrate); needed for CPU metrics")
  Double cpuPerRequest;

  @Option(
      names = "--replicas",
      required = true,
      paramLabel = "N",
      description = "The replica count to plan for")
  int replicas;

  @Option(
      names = "--idle-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      converter = Converters.Millicores.class,
      description = "CPU a pod burns without load. Default: ${DEFAULT-VALUE}")
  long idleCpu;

  @Option(
      names = "--startup",
      paramLabel = "DUR",
      defaultValue = "20s",
      converter = Converters.Seconds.class,
      description = "Pod start-up time until it serves. Default: ${DEFAULT-VALUE}")
  double startup;

  @Override
  public Integer call() {
    HpaOptions.Resolved in = hpaOptions.resolve();
    HpaSpec hpa = in.hpa();
    double cpu = cpuPerRequest(hpa, cpuPerRequest);
    if (replicas < hpa.minReplicas() || replicas > hpa.maxReplicas()) {
      throw new UsageException(
          "--replicas '"
              + replicas
              + "': must be within the HPA's minReplicas..maxReplicas ("
              + hpa.minReplicas()
              + ".."
              + hpa.maxReplicas()
              + ")");
    }
    Planner planner =
        UsageException.fromInvalid(
            "",
            () ->
                new Planner(
                    hpa,
                    in.workload(),
                    cpu,
                    idleCpu,
                    startup,
                    hpaOptions.memoryPerPodBytes(),
                    hpaOptions.memoryPerRequestBytes()));
    Planner.Plan p =
        UsageException.fromInvalid("--hpa '" + hpaOptions.hpa + "'", () -> planner.plan(replicas));
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "HPA %s: min %d, max %d%s%n",
        hpa.name(),
        hpa.minReplicas(),
        hpa.maxReplicas(),
        cpu > 0 ? String.format(Locale.ROOT, "; %.1fms CPU per request", cpu * 1000) : "");
    w.printf(
        Locale.ROOT,
        "metrics:                  %s%n",
        SimulationOutput.describeMetrics(hpa, in.workload()));
    Planner.MetricRate binding = planner.binding();
    if (hpa.metrics().size() > 1) {
      for (Planner.MetricRate r : planner.metricRates()) {
        w.printf(
            Locale.ROOT,
            "  %-24s %s%s%n",
            r.metric() + ":",
            Double.isFinite(r.perPodRate())
                ? String.format(Locale.ROOT, "%.2f req/s per pod at target", r.perPodRate())
                : "-",
            r.note().isEmpty() ? "" : " (" + r.note() + ")");
      }
      w.printf(
          Locale.ROOT,
          "binding metric:           %s (the lowest rate per pod asks for the most pods)%n",
          binding.metric());
    }
    w.printf(Locale.ROOT, "one pod at target:        %.2f req/s%n", p.perPodRate());
    w.printf(
        Locale.ROOT,
        "rate for %d replicas:      %.2f req/s (%d pods with %s at its target%s)%n",
        replicas,
        p.rateForReplicas(),
        replicas,
        binding.metric(),
        utilizationNote(hpa, binding));
    w.printf(
        Locale.ROOT,
        "settles at %d replicas:    %.2f .. %s req/s (constant rates, from %d replicas)%n",
        replicas,
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
    return ExitCode.OK.code();
  }

  private static String utilizationNote(HpaSpec hpa, Planner.MetricRate binding) {
    for (MetricSpec m : hpa.metrics()) {
      if (m.label().equals(binding.metric())
          && m.targetType() == MetricSpec.TargetType.UTILIZATION) {
        return ", " + m.target() + "%";
      }
    }
    return "";
  }

  /**
   * {@code --cpu-per-request}: required and {@code > 0} when the HPA has a CPU metric; 0 (unused)
   * otherwise.
   */
  static double cpuPerRequest(HpaSpec hpa, Double value) {
    boolean cpuMetric = hpa.metrics().stream().anyMatch(MetricSpec::isCpu);
    if (value == null) {
      if (cpuMetric) {
        throw new UsageException(
            "--cpu-per-request is required: HPA "
                + hpa.name()
                + " scales on CPU (measure it with calibrate, e.g. --cpu-per-request 20ms)");
      }
      return 0;
    }
    if (value <= 0 && cpuMetric) {
      throw new UsageException(
          "--cpu-per-request '" + SimulateCommand.secondsText(value) + "': must be > 0");
    }
    return value;
  }

  private static String seconds(Double s) {
    return s == null ? "never" : String.format(Locale.ROOT, "%.0fs", s);
  }
}
