package dev.surge.loadgen.cli;

import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the README's first command. Starts the surge app inside this JVM on free ports (no
 * cluster, nothing to install), then runs a short ramp-up / hold / ramp-down on {@code /api/work}
 * with live progress and the summary. {@code --url} points it at a real target instead.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the surge app in this JVM and run a short ramp-up / hold / ramp-down against it.",
      "Example: demo    (or: demo --url http://my-service:8080/api/work?cpuMillis=20 --peak-rate 300)"
    })
public final class DemoCommand implements Callable<Integer> {
  @ParentCommand SurgeLoadgen root;

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Drive this target instead of starting the app in this JVM.")
  String url;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      defaultValue = "36s",
      description =
          "Whole demo: 30%% ramp-up, 40%% hold, 30%% ramp-down. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(
      names = "--peak-rate",
      paramLabel = "REQ/S",
      defaultValue = "150",
      description = "Rate held in the middle. Default: ${DEFAULT-VALUE}.")
  double peakRate;

  @Option(
      names = "--cpu-millis",
      paramLabel = "MS",
      defaultValue = "2",
      description =
          "CPU each /api/work request burns in the embedded app. Default: ${DEFAULT-VALUE}.")
  int cpuMillis;

  @Mixin RunOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    double seconds = RunOptions.millis("--duration", duration) / 1000.0;
    if (seconds < 1) {
      throw new IllegalArgumentException("--duration must be at least 1s, got '" + duration + "'");
    }
    if (!(peakRate > 0) || Double.isInfinite(peakRate) || peakRate > 100_000) {
      throw new IllegalArgumentException(
          "--peak-rate must be > 0 and <= 100000 requests/s, got " + peakRate);
    }
    if (cpuMillis < 0 || cpuMillis > 1000) {
      throw new IllegalArgumentException("--cpu-millis must be 0..1000, got " + cpuMillis);
    }
    if (url != null) {
      RunOptions.parse("--url", url, RequestTemplate::parseUrl);
      return drive(url, seconds, out, err, null);
    }
    // Keep the embedded app's start/stop log lines from interleaving with the progress line.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    AppConfig appConfig =
        AppConfig.parse(
            List.of(
                "--port",
                "0",
                "--metrics-port",
                "0",
                "--host",
                "127.0.0.1",
                "--drain-delay",
                "0s",
                "--shutdown-timeout",
                "2s"),
            Map.of());
    try (SurgeApp app = SurgeApp.start(appConfig)) {
      String base = "http://127.0.0.1:" + app.port();
      out.printf(
          Locale.ROOT, "surge app started in this JVM: %s  (instance %s)%n", base, app.instance());
      out.printf(
          Locale.ROOT,
          "  its metrics:  curl -s http://127.0.0.1:%d/metrics | grep surge_http%n",
          app.metricsPort());
      return drive(base + "/api/work?cpuMillis=" + cpuMillis, seconds, out, err, app);
    }
  }

  private int drive(String target, double seconds, PrintWriter out, PrintWriter err, SurgeApp app) {
    double up = seconds * 0.3;
    double hold = seconds * 0.4;
    double down = seconds - up - hold;
    String peak = num(peakRate);
    String profileSpec =
        "ramp:0->"
            + peak
            + "/"
            + Durations.format(up)
            + ",hold:"
            + peak
            + "/"
            + Durations.format(hold)
            + ",ramp-down:"
            + peak
            + "/"
            + Durations.format(down);
    RateProfile profile = RateProfile.parse(profileSpec);
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("command", "demo");
    described.put("url", target);
    described.put("method", "GET");
    described.put("profile", profile.toString());
    described.put("durationSeconds", profile.durationSeconds());
    described.put("shard", ShardSpec.WHOLE.toString());
    RunConfig cfg =
        options.toConfig(
            RequestMix.single(RequestTemplate.get(target)), profile, ShardSpec.WHOLE, described);
    out.printf(Locale.ROOT, "load: GET %s%n  profile %s%n", target, profile);
    out.flush();
    LoadRun.Outcome o = Signals.runWithSignalHandling(cfg, out, err, port -> {});
    if (app != null) {
      long counted = appCount(app.metricsPort());
      if (counted >= 0) {
        out.printf(
            Locale.ROOT,
            "the app's own metrics agree: surge_http_requests_total{route=\"/api/work\"} = %d%n",
            counted);
      }
    }
    out.flush();
    return o.exitCode();
  }

  /**
   * Sum of the app's surge_http_requests_total for /api/work, read from its /metrics; -1 when
   * unreadable.
   */
  private static long appCount(int metricsPort) {
    try {
      String text =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "(?m)^surge_http_requests_total\\{[^}]*route=\"/api/work\"[^}]*} (\\S+)$")
              .matcher(text);
      long sum = 0;
      while (m.find()) {
        sum += (long) Double.parseDouble(m.group(1));
      }
      return sum;
    } catch (java.io.IOException | RuntimeException e) {
      // Only a closing remark of the demo: without it the summary above still stands.
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
