package dev.surge.loadgen.cli;

import dev.surge.hpa.Flags;
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
      description =
          "Request to drive, e.g. http://127.0.0.1:8080/api/work?cpuMillis=20 (one instance, not a Service)")
  String url;

  @Option(
      names = "--metrics-url",
      required = true,
      paramLabel = "URL",
      description = "That instance's metrics, e.g. http://127.0.0.1:8081/metrics")
  String metricsUrl;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "20",
      description = "Requests/s. Default: ${DEFAULT-VALUE}")
  String rate;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      defaultValue = "30s",
      description = "Measured phase. Default: ${DEFAULT-VALUE}")
  String duration;

  @Option(
      names = "--warmup",
      paramLabel = "DUR",
      defaultValue = "10s",
      description = "Unmeasured warm-up at the same rate. Default: ${DEFAULT-VALUE}")
  String warmup;

  @Option(
      names = "--idle",
      paramLabel = "DUR",
      defaultValue = "3s",
      description = "Quiet period measuring the idle CPU first. Default: ${DEFAULT-VALUE}")
  String idle;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "16",
      description = "Default: ${DEFAULT-VALUE}")
  String connections;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "256",
      description = "Default: ${DEFAULT-VALUE}")
  String maxInFlight;

  @Override
  public Integer call() throws Exception {
    double r = Flags.nonNegative("--rate", rate);
    if (r <= 0) {
      throw new IllegalArgumentException("--rate '" + rate + "': must be > 0");
    }
    double d = Flags.seconds("--duration", duration);
    if (d < 1) {
      throw new IllegalArgumentException("--duration '" + duration + "': must be at least 1s");
    }
    Calibrator calibrator =
        Calibrator.builder()
            .url(httpUri("--url", url))
            .metricsUrl(httpUri("--metrics-url", metricsUrl))
            .rate(r)
            .durationSeconds(d)
            .warmupSeconds(Flags.seconds("--warmup", warmup))
            .idleSeconds(Flags.seconds("--idle", idle))
            .connections(Flags.positiveInt("--connections", connections))
            .maxInFlight(Flags.positiveInt("--max-in-flight", maxInFlight))
            .build();
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "calibrating %s at %.1f req/s for %s (after %s warm-up)...%n",
        url,
        r,
        duration,
        warmup);
    w.flush();
    CalibrationResult c;
    try {
      c = calibrator.run();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return SurgeLoadgen.EXIT_FAILED;
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
      return SurgeLoadgen.EXIT_FAILED;
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
    return 0;
  }

  static URI httpUri(String flag, String value) {
    return Flags.parse(
        flag,
        value,
        v -> {
          URI u;
          try {
            u = URI.create(v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL");
          }
          if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
              || u.getHost() == null) {
            throw new IllegalArgumentException("must be an http:// or https:// URL with a host");
          }
          return u;
        });
  }
}
