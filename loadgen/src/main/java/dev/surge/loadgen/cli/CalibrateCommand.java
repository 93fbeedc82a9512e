package dev.surge.loadgen.cli;

import dev.surge.common.cli.Converters;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.calibrate.CalibrationResult;
import dev.surge.loadgen.calibrate.Calibrator;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibrate}: measures the CPU seconds one request costs on one app instance, and the
 * latency at that rate, so {@code plan} and {@code simulate} work from measured figures.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = "Measure CPU per request on one app instance from its process_cpu_seconds_total.")
public final class CalibrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      converter = Converters.HttpUrl.class,
      description =
          "Request to drive, e.g. http://127.0.0.1:8080/api/work?cpuMillis=20 (one instance, not a Service)")
  URI url;

  @Option(
      names = "--metrics-url",
      required = true,
      paramLabel = "URL",
      converter = Converters.HttpUrl.class,
      description = "That instance's metrics, e.g. http://127.0.0.1:8081/metrics")
  URI metricsUrl;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "20",
      converter = Converters.Rate.class,
      description = "Requests/s. Default: ${DEFAULT-VALUE}")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      defaultValue = "30s",
      converter = Converters.Seconds.class,
      description = "Measured phase. Default: ${DEFAULT-VALUE}")
  double duration;

  @Option(
      names = "--warmup",
      paramLabel = "DUR",
      defaultValue = "10s",
      converter = Converters.Seconds.class,
      description = "Unmeasured warm-up at the same rate. Default: ${DEFAULT-VALUE}")
  double warmup;

  @Option(
      names = "--idle",
      paramLabel = "DUR",
      defaultValue = "3s",
      converter = Converters.Seconds.class,
      description = "Quiet period measuring the idle CPU first. Default: ${DEFAULT-VALUE}")
  double idle;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "16",
      description = "Default: ${DEFAULT-VALUE}")
  int connections;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "256",
      description = "Default: ${DEFAULT-VALUE}")
  int maxInFlight;

  @Override
  public Integer call() throws Exception {
    if (rate <= 0) {
      throw new UsageException("--rate '" + rate + "': must be > 0");
    }
    if (duration < 1) {
      throw new UsageException(
          "--duration '" + SimulateCommand.secondsText(duration) + "': must be at least 1s");
    }
    if (connections < 1) {
      throw new UsageException("--connections '" + connections + "': must be >= 1");
    }
    if (maxInFlight < 1) {
      throw new UsageException("--max-in-flight '" + maxInFlight + "': must be >= 1");
    }
    Calibrator calibrator =
        UsageException.fromInvalid(
            "",
            () ->
                Calibrator.builder()
                    .url(url)
                    .metricsUrl(metricsUrl)
                    .rate(rate)
                    .durationSeconds(duration)
                    .warmupSeconds(warmup)
                    .idleSeconds(idle)
                    .connections(connections)
                    .maxInFlight(maxInFlight)
                    .build());
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "calibrating %s at %.1f req/s for %s (after %s warm-up)...%n",
        url,
        rate,
        SimulateCommand.secondsText(duration),
        SimulateCommand.secondsText(warmup));
    w.flush();
    CalibrationResult c;
    try {
      c = calibrator.run();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCode.FAILED.code();
    }
    w.printf(
        Locale.ROOT,
        "requests:          %d sent, %d ok, %d errors, %d dropped; app counted %s%n",
        c.sent(),
        c.ok(),
        c.errors(),
        c.dropped(),
        c.served() < 0 ? "n/a" : Long.toString(c.served()));
    w.printf(
        Locale.ROOT,
        "process CPU:       %.3f s over %.1f s (idle %.0fm)%n",
        c.cpuSecondsDelta(),
        c.seconds(),
        c.idleMillicores());
    w.printf(
        Locale.ROOT,
        "latency (from intended send): p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms%n",
        c.p50Millis(),
        c.p90Millis(),
        c.p99Millis(),
        c.maxMillis());
    if (Double.isNaN(c.cpuPerRequestSeconds()) || c.ok() == 0) {
      spec.commandLine().getErr().println("error: no request succeeded; nothing to calibrate from");
      return ExitCode.FAILED.code();
    }
    String perRequest = String.format(Locale.ROOT, "%.2fms", c.cpuPerRequestSeconds() * 1000);
    w.printf("cpu per request:   %s%n", perRequest);
    if (c.errors() > 0 || c.dropped() > 0) {
      w.printf("warning: errors or drops during calibration; the figure may be off%n");
    }
    w.printf(
        "next:              surge-loadgen plan --hpa k8s/base --cpu-per-request %s --replicas N%n",
        perRequest);
    w.flush();
    return ExitCode.OK.code();
  }
}
