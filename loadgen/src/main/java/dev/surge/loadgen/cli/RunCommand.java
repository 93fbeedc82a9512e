package dev.surge.loadgen.cli;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.run.RunPlan;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.scenario.Scenario;
import dev.surge.loadgen.shard.ShardSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code run}: an open-model load test against a URL (or a scenario's mix), at a constant rate or
 * following a profile, with latency corrected for coordinated omission. Exit 0 ok, 1 thresholds
 * failed or aborted, 2 usage error.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Send requests on an absolute open-model schedule and report latency from the intended send time.",
      "Example: run --url http://127.0.0.1:8080/api/work?cpuMillis=20 --rate 200 --duration 60s"
    })
public final class RunCommand implements Callable<Integer> {
  @ParentCommand SurgeLoadgen root;

  @Spec CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", description = "Target URL (http or https).")
  String url;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      defaultValue = "GET",
      description = "HTTP method. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description = "Request header. Repeatable.")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--body",
      paramLabel = "TEXT",
      description =
          "Request body (content type application/json unless a Content-Type header is given).")
  String body;

  @Option(
      names = "--rate",
      paramLabel = "REQ/S",
      description = "Constant rate in requests/s (with --duration).")
  Double rate;

  @Option(
      names = "--profile",
      paramLabel = "STAGES",
      description =
          "Rate profile, e.g. 'ramp:0->400/2m,hold:400/5m,ramp-down:400/2m'. Stages: hold, ramp, ramp-up, "
              + "ramp-down, step, spike, sine, pause (see loadgen/README.md).")
  String profile;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description = "Scenario file (YAML or JSON): stages and a weighted request mix.")
  Path scenario;

  @Option(
      names = "--duration",
      paramLabel = "DUR",
      description =
          "Length of a --rate run (default 60s); cuts a profile short when shorter than it.")
  String duration;

  @Option(
      names = "--max-rate",
      paramLabel = "REQ/S",
      defaultValue = "20000",
      description =
          "Safety cap: the profile is clipped to this rate (whole run, all shards). Default: ${DEFAULT-VALUE}.")
  double maxRate;

  @Option(
      names = "--shard",
      paramLabel = "i/N",
      description = "Send shard i (0-based) of N: every N-th request, rate/N.")
  String shard;

  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "Number of shards; the index comes from JOB_COMPLETION_INDEX (Indexed Job).")
  Integer shards;

  @Option(
      names = "--dry-run",
      description = "Validate everything, print the resolved plan and exit 0 without sending.")
  boolean dryRun;

  @Mixin RunOptions options;

  @Mixin ScalingOptions scaling = new ScalingOptions();

  @Override
  public Integer call() {
    RunConfig cfg = resolve(root.env());
    ScalingOptions.Session live = scaling.open(cfg);
    if (dryRun) {
      spec.commandLine().getOut().print(RunPlan.describe(cfg));
      spec.commandLine().getOut().flush();
      return 0;
    }
    var outcome =
        Signals.runWithSignalHandling(
            cfg,
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            port -> live.started(),
            live::progressText,
            live::scaling);
    live.finish(cfg, outcome, spec.commandLine().getOut());
    return outcome.exitCode();
  }

  /** Validates every flag and builds the run's config. */
  RunConfig resolve(Map<String, String> env) {
    Scenario sc =
        scenario == null ? null : RunOptions.parse("--scenario", scenario, Scenario::load);
    RequestMix mix;
    Map<String, Object> described = new LinkedHashMap<>();
    if (sc != null) {
      if (url != null) {
        throw new IllegalArgumentException(
            "--url: give either --url or --scenario, not both (the scenario lists its URLs)");
      }
      mix = sc.mix();
      described.put("scenario", scenario.toString());
    } else {
      if (url == null) {
        throw new IllegalArgumentException("--url is required (or --scenario FILE)");
      }
      List<RequestTemplate.Header> hs = new ArrayList<>();
      String contentType = null;
      for (String h : headers) {
        RequestTemplate.Header parsed =
            RunOptions.parse("--header", h, RequestTemplate.Header::parse);
        if (parsed.name().equalsIgnoreCase("Content-Type")) {
          contentType = parsed.value();
        } else {
          hs.add(parsed);
        }
      }
      if (method == null || !method.matches("[A-Za-z]+")) {
        throw new IllegalArgumentException("--method: '" + method + "' is not an HTTP method");
      }
      RequestTemplate t =
          new RequestTemplate(
              method,
              RunOptions.parse("--url", url, RequestTemplate::parseUrl),
              hs,
              body == null ? null : body.getBytes(StandardCharsets.UTF_8),
              contentType);
      mix = RequestMix.single(t);
      described.put("url", url);
      described.put("method", t.method());
    }

    if (rate != null && profile != null) {
      throw new IllegalArgumentException("--rate: give either --rate or --profile, not both");
    }
    if (!(maxRate > 0) || Double.isInfinite(maxRate)) {
      throw new IllegalArgumentException("--max-rate must be > 0 requests/s, got " + maxRate);
    }
    Double cut = duration == null ? null : RunOptions.millis("--duration", duration) / 1000.0;
    if (cut != null && cut <= 0) {
      throw new IllegalArgumentException("--duration must be > 0, got '" + duration + "'");
    }
    RateProfile p;
    if (rate != null) {
      if (!(rate >= 0) || rate.isInfinite()) {
        throw new IllegalArgumentException("--rate must be a number >= 0 requests/s, got " + rate);
      }
      p = RateProfile.constant(rate, cut == null ? 60.0 : cut);
    } else if (profile != null) {
      p = RunOptions.parse("--profile", profile, RateProfile::parse);
      if (cut != null) {
        p = p.truncated(cut);
      }
    } else if (sc != null && sc.profile() != null) {
      p = sc.profile();
      if (cut != null) {
        p = p.truncated(cut);
      }
    } else {
      throw new IllegalArgumentException(
          "--rate or --profile is required (or a scenario file with stages)");
    }
    if (p.peakRate() > maxRate) {
      p = p.cappedAt(maxRate);
    }
    ShardSpec sh =
        RunOptions.parse(
            shard != null ? "--shard" : "--shards", shard, s -> ShardSpec.resolve(s, shards, env));
    described.put("profile", p.toString());
    described.put("durationSeconds", p.durationSeconds());
    described.put("maxRate", maxRate);
    described.put("shard", sh.toString());
    return options.toConfig(mix, p, sh, described);
  }
}
