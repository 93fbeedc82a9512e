package dev.surge.loadgen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.common.profile.RateProfile;
import dev.surge.hpa.Flags;
import dev.surge.hpa.ProfileRates;
import dev.surge.hpa.ReplicaCalculator;
import dev.surge.hpa.SimulationOutput;
import dev.surge.hpa.SimulationResult;
import dev.surge.hpa.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: plays a rate profile against the HPA model and prints replicas and utilization
 * over time, the times to scale up, plateau and back to min, replica-seconds and cost.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Predict what the HPA does under a rate profile (a model of the autoscaling/v2 controller).")
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HpaOptions hpaOptions = new HpaOptions();

  @Option(
      names = "--cpu-per-request",
      required = true,
      paramLabel = "DUR",
      description = "CPU time one request costs (e.g. 20ms; see calibrate)")
  String cpuPerRequest;

  @Option(names = "--profile", paramLabel = "SPEC", description = "Rate profile, as run --profile")
  String profile;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "Constant rate (with --duration) instead of --profile")
  String rate;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      defaultValue = "10m",
      description = "With --rate. Default: ${DEFAULT-VALUE}")
  String duration;

  @Option(
      names = "--startup",
      paramLabel = "DUR",
      defaultValue = "20s",
      description = "Pod start-up time until it is ready and serves. Default: ${DEFAULT-VALUE}")
  String startup;

  @Option(
      names = "--startup-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      description = "CPU a starting pod burns (JVM start-up). Default: ${DEFAULT-VALUE}")
  String startupCpu;

  @Option(
      names = "--idle-cpu",
      paramLabel = "QTY",
      defaultValue = "0",
      description = "CPU a ready pod burns without load. Default: ${DEFAULT-VALUE}")
  String idleCpu;

  @Option(
      names = "--tail",
      paramLabel = "DUR",
      defaultValue = "10m",
      description =
          "Time simulated after the profile, to see the scale-in. Default: ${DEFAULT-VALUE}")
  String tail;

  @Option(
      names = "--sync-period",
      paramLabel = "DUR",
      defaultValue = "15s",
      description = "HPA controller sync period. Default: ${DEFAULT-VALUE}")
  String syncPeriod;

  @Option(
      names = "--metric-window",
      paramLabel = "DUR",
      defaultValue = "15s",
      description = "metrics-server averaging window. Default: ${DEFAULT-VALUE}")
  String metricWindow;

  @Option(
      names = "--tolerance",
      paramLabel = "X",
      defaultValue = "0.1",
      description = "HPA tolerance. Default: ${DEFAULT-VALUE}")
  String tolerance;

  @Option(
      names = "--initial-replicas",
      paramLabel = "N",
      description = "Replicas at the start. Default: minReplicas")
  String initialReplicas;

  @Option(
      names = "--price-vcpu-hour",
      paramLabel = "P",
      defaultValue = "0",
      description = "Price of one requested vCPU per hour. Default: ${DEFAULT-VALUE}")
  String priceVcpu;

  @Option(
      names = "--price-gib-hour",
      paramLabel = "P",
      defaultValue = "0",
      description = "Price of one requested GiB of memory per hour. Default: ${DEFAULT-VALUE}")
  String priceGib;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the result as JSON")
  String out;

  @Override
  public Integer call() throws IOException {
    HpaOptions.Resolved in = hpaOptions.resolve();
    double cpu = Flags.seconds("--cpu-per-request", cpuPerRequest);
    RateProfile rp = profile(profile, rate, duration);
    double tol = Flags.nonNegative("--tolerance", tolerance);
    if (tol >= 1) {
      throw new IllegalArgumentException("--tolerance '" + tolerance + "': must be below 1");
    }
    Simulator.Builder b =
        Simulator.builder()
            .hpa(in.hpa())
            .workload(in.workload())
            .cpuPerRequestSeconds(cpu)
            .rate(ProfileRates.of(rp))
            .startupSeconds(Flags.seconds("--startup", startup))
            .startupCpuMillicores(Flags.millicores("--startup-cpu", startupCpu))
            .idleCpuMillicores(Flags.millicores("--idle-cpu", idleCpu))
            .tailSeconds((int) Math.round(Flags.seconds("--tail", tail)))
            .syncPeriodSeconds(wholeSeconds("--sync-period", syncPeriod))
            .metricWindowSeconds(wholeSeconds("--metric-window", metricWindow))
            .pricePerVcpuHour(Flags.nonNegative("--price-vcpu-hour", priceVcpu))
            .pricePerGibHour(Flags.nonNegative("--price-gib-hour", priceGib))
            .calculator(new ReplicaCalculator(tol, 300, 30));
    if (initialReplicas != null) {
      b.initialReplicas(Flags.positiveInt("--initial-replicas", initialReplicas));
    }
    SimulationResult r = b.build().run();
    PrintWriter w = spec.commandLine().getOut();
    SimulationOutput.printText(w, in.hpa(), in.workload(), r);
    if (out != null) {
      Path path = Path.of(out);
      try {
        Files.writeString(
            path,
            new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(
                    SimulationOutput.toJson(in.hpa(), in.workload(), rp.toString(), cpu, r)));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--out '" + out + "': cannot write: " + e.getMessage(), e);
      }
      w.println("wrote " + path);
    }
    w.flush();
    return 0;
  }

  /** {@code --profile}, or {@code --rate} with {@code --duration}; one of the two is required. */
  static RateProfile profile(String profile, String rate, String duration) {
    if (profile != null && rate != null) {
      throw new IllegalArgumentException("--profile and --rate: give one, not both");
    }
    if (profile != null) {
      return Flags.parse("--profile", profile, RateProfile::parse);
    }
    if (rate != null) {
      double r = Flags.nonNegative("--rate", rate);
      double d = Flags.seconds("--duration", duration);
      return Flags.parse("--duration", duration, v -> RateProfile.constant(r, d));
    }
    throw new IllegalArgumentException(
        "--profile or --rate is required (e.g. --profile \"ramp:0->400/2m,hold:400/5m\")");
  }

  private static int wholeSeconds(String flag, String value) {
    double s = Flags.seconds(flag, value);
    if (s < 1 || s != Math.rint(s)) {
      throw new IllegalArgumentException(
          flag + " '" + value + "': must be a whole number of seconds >= 1s");
    }
    return (int) s;
  }
}
