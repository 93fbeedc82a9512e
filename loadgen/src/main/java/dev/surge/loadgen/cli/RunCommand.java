package dev.surge.loadgen.cli;

import dev.surge.common.Version;
import dev.surge.common.cli.Converters;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.distributed.DistributedRun;
import dev.surge.loadgen.distributed.RendezvousException;
import dev.surge.loadgen.events.EventRecorder;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.run.RunPlan;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.scenario.Scenario;
import dev.surge.loadgen.shard.ShardSpec;
import dev.surge.loadgen.ui.LiveView;
import java.net.URI;
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
 * following a profile, with latency corrected for coordinated omission. Exit codes as in {@link
 * ExitCode}: 0 ok, 1 thresholds failed or aborted, 2 usage error, 70 a bug.
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

  @Option(
      names = "--url",
      converter = Converters.HttpUrl.class,
      paramLabel = "URL",
      description = "Target URL (http or https).")
  URI url;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      defaultValue = "GET",
      description = "HTTP method. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(
      names = {"-H", "--header"},
      converter = HeaderLine.class,
      paramLabel = "'NAME: VALUE'",
      description = "Request header. Repeatable.")
  List<RequestTemplate.Header> headers = new ArrayList<>();

  @Option(
      names = "--body",
      paramLabel = "TEXT",
      description =
          "Request body (content type application/json unless a Content-Type header is given).")
  String body;

  @Option(
      names = "--rate",
      converter = Converters.Rate.class,
      paramLabel = "REQ/S",
      description = "Constant rate in requests/s (with --duration).")
  Double rate;

  @Option(
      names = "--profile",
      converter = Profile.class,
      paramLabel = "STAGES",
      description =
          "Rate profile, e.g. 'ramp:0->400/2m,hold:400/5m,ramp-down:400/2m'. Stages: hold, ramp, ramp-up, "
              + "ramp-down, step, spike, sine, pause (see loadgen/README.md).")
  RateProfile profile;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description = "Scenario file (YAML or JSON): stages and a weighted request mix.")
  Path scenario;

  @Option(
      names = "--duration",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      description =
          "Length of a --rate run (default 60s); cuts a profile short when shorter than it.")
  Double duration;

  @Option(
      names = "--max-rate",
      converter = Converters.Rate.class,
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

  @Mixin DistributedOptions distributed = new DistributedOptions();

  @Mixin UiOptions ui = new UiOptions();

  @Override
  public Integer call() {
    RunConfig cfg = resolve(root.env());
    ScalingOptions.Session live = scaling.open(cfg);
    var cluster = distributed.resolve(cfg, root.env());
    if (dryRun) {
      spec.commandLine().getOut().print(RunPlan.describe(cfg));
      cluster.ifPresent(c -> spec.commandLine().getOut().print(c.describe()));
      spec.commandLine().getOut().flush();
      return ExitCode.OK.code();
    }
    try (LiveView page = ui.open(spec.commandLine().getOut())) {
      LoadRun.Outcome outcome;
      if (cluster.isPresent()) {
        // A shard's own recorder stamps the run's events; the scaling's reach the page only.
        live.live(page, EventSink.none());
        try {
          outcome =
              Signals.withStopFlag(
                  stop ->
                      new DistributedRun(
                              cfg,
                              cluster.get(),
                              spec.commandLine().getOut(),
                              spec.commandLine().getErr(),
                              Version.get())
                          .live(page)
                          .execute(stop, port -> live.started(), live::progressText));
        } catch (RendezvousException e) {
          spec.commandLine().getErr().println("error: " + e.getMessage());
          spec.commandLine().getErr().flush();
          return e.exitCode().code();
        }
      } else {
        // The run's events (the result's events[] and the page's list), the scaling's among them.
        EventRecorder events = new EventRecorder(page.events());
        live.live(page, events);
        outcome =
            Signals.withStopFlag(
                stop ->
                    new LoadRun(
                            cfg,
                            spec.commandLine().getOut(),
                            spec.commandLine().getErr(),
                            Version.get())
                        .progressSuffix(live::progressText)
                        .scaling(live::scaling)
                        .live(page)
                        .events(events)
                        .execute(stop, port -> live.started()));
      }
      live.finish(cfg, outcome, spec.commandLine().getOut());
      return outcome.exitCode();
    }
  }

  /** Reads {@code 'Name: value'}. */
  static final class HeaderLine extends Converters.Parsed<RequestTemplate.Header> {
    HeaderLine() {
      super(RequestTemplate.Header::parse);
    }
  }

  /** Reads a rate profile ({@code ramp:0->400/2m,hold:400/5m}). */
  static final class Profile extends Converters.Parsed<RateProfile> {
    Profile() {
      super(RateProfile::parse);
    }
  }

  /**
   * Checks the flags that depend on each other and builds the run's config.
   *
   * @throws UsageException naming the flag and the value that is wrong
   */
  RunConfig resolve(Map<String, String> env) {
    Scenario sc =
        scenario == null
            ? null
            : UsageException.fromInvalid("--scenario", () -> Scenario.load(scenario));
    RequestMix mix;
    Map<String, Object> described = new LinkedHashMap<>();
    if (sc != null) {
      if (url != null) {
        throw new UsageException(
            "--url '"
                + url
                + "': give either --url or --scenario, not both (the scenario lists its URLs)");
      }
      mix = sc.mix();
      described.put("scenario", scenario.toString());
    } else {
      if (url == null) {
        throw new UsageException("--url is required (or --scenario FILE)");
      }
      List<RequestTemplate.Header> hs = new ArrayList<>();
      String contentType = null;
      for (RequestTemplate.Header h : headers) {
        if (h.name().equalsIgnoreCase("Content-Type")) {
          contentType = h.value();
        } else {
          hs.add(h);
        }
      }
      if (method == null || !method.matches("[A-Za-z]+")) {
        throw new UsageException("--method '" + method + "': not an HTTP method");
      }
      RequestTemplate t =
          new RequestTemplate(
              method,
              url,
              hs,
              body == null ? null : body.getBytes(StandardCharsets.UTF_8),
              contentType);
      mix = RequestMix.single(t);
      described.put("url", url.toString());
      described.put("method", t.method());
    }

    if (rate != null && profile != null) {
      throw new UsageException("--rate and --profile: give one, not both");
    }
    if (maxRate == 0) {
      throw new UsageException("--max-rate: must be > 0 requests/s, got 0");
    }
    if (duration != null && duration == 0) {
      throw new UsageException("--duration: must be longer than 0s");
    }
    RateProfile p;
    if (options.closed) {
      if (rate != null || profile != null) {
        throw new UsageException(
            "--closed: a closed model has no rate; give --connections and --duration, not "
                + (rate != null ? "--rate" : "--profile"));
      }
      p = RateProfile.constant(0, duration == null ? 60.0 : duration);
    } else if (rate != null) {
      p = RateProfile.constant(rate, duration == null ? 60.0 : duration);
    } else if (profile != null) {
      p = duration == null ? profile : profile.truncated(duration);
    } else if (sc != null && sc.profile() != null) {
      p = duration == null ? sc.profile() : sc.profile().truncated(duration);
    } else {
      throw new UsageException("--rate or --profile is required (or a scenario file with stages)");
    }
    if (p.peakRate() > maxRate) {
      p = p.cappedAt(maxRate);
    }
    ShardSpec sh =
        UsageException.fromInvalid(
            shard != null ? "--shard" : "--shards", () -> ShardSpec.resolve(shard, shards, env));
    described.put("profile", p.toString());
    described.put("durationSeconds", p.durationSeconds());
    described.put("maxRate", maxRate);
    described.put("shard", sh.toString());
    return options.toConfig(mix, p, sh, described);
  }
}
