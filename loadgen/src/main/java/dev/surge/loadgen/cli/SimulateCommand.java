package dev.surge.loadgen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.common.cli.Converters;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.hpa.ProfileRates;
import dev.surge.hpa.ReplicaCalculator;
import dev.surge.hpa.SimulationOutput;
import dev.surge.hpa.SimulationResult;
import dev.surge.hpa.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: plays a rate profile against the HPA model and prints replicas and the metrics
 * over time (which metric drove each decision), the times to scale up, plateau and back to min,
 * replica-seconds and cost.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Predict what the HPA (or KEDA ScaledObject) does under a rate profile (a model of the"
            + " autoscaling/v2 controller).")
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HpaOptions hpaOptions = new HpaOptions();

  @Option(
      names = "--cpu-per-request",
      paramLabel = "DUR",
      converter = Converters.Seconds.class,
      description = "CPU time one request costs (e.g. 20ms; see calibrate); needed for CPU metrics")
  Double cpuPerRequest;

  @Option(names = "--profile", paramLabel = "SPEC", description = "Rate profile, as run --profile")
  String profile;

  @Option(
      names = "--rate",
      paramLabel = "R",
      converter = Converters.Rate.class,
      description = "Constant rate (with --duration) instead of --profile")
  Double rate;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      defaultValue = "10m",
      converter = Converters.Seconds.class,
      description = "With --rate. Default: ${DEFAULT-VALUE}")
  double duration;

  @Option(
      names = "--startup",
      paramLabel = "DUR",
      defaultValue = "20s",
      converter = Converters.Seconds.class,
      description = "Pod start-up time until it is ready and serves. Default: ${DEFAULT-VALUE}")
  double startup;

  @Option(
      names = "--startup-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      converter = Converters.Millicores.class,
      description = "CPU a starting pod burns (JVM start-up). Default: ${DEFAULT-VALUE}")
  long startupCpu;

  @Option(
      names = "--idle-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      converter = Converters.Millicores.class,
      description = "CPU a ready pod burns without load. Default: ${DEFAULT-VALUE}")
  long idleCpu;

  @Option(
      names = "--tail",
      paramLabel = "DUR",
      defaultValue = "10m",
      converter = Converters.Seconds.class,
      description =
          "Time simulated after the profile, to see the scale-in. Default: ${DEFAULT-VALUE}")
  double tail;

  @Option(
      names = "--sync-period",
      paramLabel = "DUR",
      defaultValue = "15s",
      converter = Converters.Seconds.class,
      description = "HPA controller sync period. Default: ${DEFAULT-VALUE}")
  double syncPeriod;

  @Option(
      names = "--metric-window",
      paramLabel = "DUR",
      defaultValue = "15s",
      converter = Converters.Seconds.class,
      description = "metrics-server averaging window. Default: ${DEFAULT-VALUE}")
  double metricWindow;

  @Option(
      names = "--tolerance",
      paramLabel = "X",
      defaultValue = "0.1",
      converter = Converters.NonNegativeNumber.class,
      description =
          "The controller's tolerance (behavior.scaleUp/scaleDown.tolerance override it per"
              + " direction). Default: ${DEFAULT-VALUE}")
  double tolerance;

  @Option(
      names = "--initial-replicas",
      paramLabel = "N",
      description = "Replicas at the start. Default: minReplicas")
  Integer initialReplicas;

  @Option(
      names = "--price-vcpu-hour",
      paramLabel = "P",
      defaultValue = "0",
      converter = Converters.NonNegativeNumber.class,
      description = "Price of one requested vCPU per hour. Default: ${DEFAULT-VALUE}")
  double priceVcpu;

  @Option(
      names = "--price-gib-hour",
      paramLabel = "P",
      defaultValue = "0",
      converter = Converters.NonNegativeNumber.class,
      description = "Price of one requested GiB of memory per hour. Default: ${DEFAULT-VALUE}")
  double priceGib;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the result as JSON")
  Path out;

  @Override
  public Integer call() throws IOException {
    HpaOptions.Resolved in = hpaOptions.resolve();
    double cpu = PlanCommand.cpuPerRequest(in.hpa(), cpuPerRequest);
    RateProfile rp = profile(profile, rate, duration);
    if (tolerance >= 1) {
      throw new UsageException("--tolerance '" + tolerance + "': must be below 1");
    }
    if (initialReplicas != null && initialReplicas < 1) {
      throw new UsageException("--initial-replicas '" + initialReplicas + "': must be >= 1");
    }
    Simulator.Builder b =
        Simulator.builder()
            .hpa(in.hpa())
            .workload(in.workload())
            .cpuPerRequestSeconds(cpu)
            .rate(ProfileRates.of(rp))
            .startupSeconds(startup)
            .startupCpuMillicores(startupCpu)
            .idleCpuMillicores(idleCpu)
            .tailSeconds((int) Math.round(tail))
            .syncPeriodSeconds(wholeSeconds("--sync-period", syncPeriod))
            .metricWindowSeconds(wholeSeconds("--metric-window", metricWindow))
            .pricePerVcpuHour(priceVcpu)
            .pricePerGibHour(priceGib)
            .memoryPerPodBytes(hpaOptions.memoryPerPodBytes())
            .memoryPerRequestBytes(hpaOptions.memoryPerRequestBytes())
            .calculator(new ReplicaCalculator(tolerance, 300, 30));
    if (initialReplicas != null) {
      b.initialReplicas(initialReplicas);
    }
    SimulationResult r =
        UsageException.fromInvalid("--hpa '" + hpaOptions.hpa + "'", () -> b.build().run());
    PrintWriter w = spec.commandLine().getOut();
    SimulationOutput.printText(w, in.hpa(), in.workload(), r);
    if (out != null) {
      try {
        Files.writeString(
            out,
            new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(
                    SimulationOutput.toJson(in.hpa(), in.workload(), rp.toString(), cpu, r)));
      } catch (IOException e) {
        throw new UsageException("--out '" + out + "': cannot write: " + e.getMessage(), e);
      }
      w.println("wrote " + out);
    }
    w.flush();
    return ExitCode.OK.code();
  }

  /** {@code --profile}, or {@code --rate} with {@code --duration}; one of the two is required. */
  static RateProfile profile(String profile, Double rate, double duration) {
    if (profile != null && rate != null) {
      throw new UsageException("--profile and --rate: give one, not both");
    }
    if (profile != null) {
      return UsageException.fromInvalid(
          "--profile '" + profile + "'", () -> RateProfile.parse(profile));
    }
    if (rate != null) {
      return UsageException.fromInvalid(
          "--duration '" + secondsText(duration) + "'", () -> RateProfile.constant(rate, duration));
    }
    throw new UsageException(
        "--profile or --rate is required (e.g. --profile \"ramp:0->400/2m,hold:400/5m\")");
  }

  private static int wholeSeconds(String flag, double s) {
    if (s < 1 || s != Math.rint(s)) {
      throw new UsageException(
          flag + " '" + secondsText(s) + "': must be a whole number of seconds >= 1s");
    }
    return (int) s;
  }

  /** Seconds as a duration the flags accept again: {@code 1.5s}, {@code 0s}. */
  static String secondsText(double seconds) {
    return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString() + "s";
  }
}
