package dev.surge.loadgen.cli;

import dev.surge.common.Durations;
import dev.surge.common.cli.Converters;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.client.Transport;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.run.RunConfig.ProgressMode;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import picocli.CommandLine.Option;

/**
 * The options that shape how load is sent and reported, shared by {@code run} and the lab (a
 * picocli mixin), composed into a {@link RunConfig}. Durations, URLs and policies arrive typed (the
 * converters in {@link Converters}); what is left to check here (a range, a condition's grammar)
 * fails with a {@link UsageException} that names the flag and the value.
 */
public final class RunOptions {
  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Maximum connections per target (HTTP/1.1 keep-alive). Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(
      names = "--http2",
      description =
          "HTTP/2 clear-text with prior knowledge (http:// targets): each connection multiplexes streams.")
  boolean http2;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "1024",
      description =
          "Over this many requests in flight, due requests are dropped (counted), never queued. "
              + "Default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Option(
      names = "--max-connection-age",
      converter = Converters.SecondsOrOff.class,
      paramLabel = "DUR",
      defaultValue = "off",
      description =
          "Retire connections older than this (e.g. 10s) so new pods behind a Service get traffic. "
              + "Default: ${DEFAULT-VALUE}.")
  double maxConnectionAge;

  @Option(
      names = "--idle-timeout",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "10s",
      description =
          "Close idle connections after this; keep it below the server's. Default: ${DEFAULT-VALUE}.")
  double idleTimeout;

  @Option(
      names = "--connect-timeout",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "5s",
      description = "TCP connect timeout. Default: ${DEFAULT-VALUE}.")
  double connectTimeout;

  @Option(
      names = "--timeout",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "30s",
      description = "Total timeout of one request (queueing included). Default: ${DEFAULT-VALUE}.")
  double timeout;

  @Option(
      names = "--catch-up",
      converter = CatchUpPolicy.class,
      paramLabel = "POLICY",
      defaultValue = "burst",
      description =
          "Overdue requests: burst (send at once, latency still from the intended time) or skip "
              + "(drop those over 100ms late). Default: ${DEFAULT-VALUE}.")
  CatchUp catchUp;

  @Option(
      names = "--drain-timeout",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "10s",
      description =
          "After the last send, wait this long for in-flight requests (2s at most when stopped by a "
              + "signal). Default: ${DEFAULT-VALUE}.")
  double drainTimeout;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "-1",
      description =
          "Serve loadgen metrics on this port at /metrics (0: any free port, -1: off). "
              + "Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--pushgateway",
      converter = Converters.HttpUrl.class,
      paramLabel = "URL",
      description =
          "Push the final figures to this Pushgateway (PUT URL/metrics/job/surge-loadgen) at the end.")
  URI pushgateway;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result JSON here.")
  Path out;

  @Option(
      names = "--hdr-log",
      paramLabel = "FILE",
      description = "Write the HdrHistogram interval log here.")
  Path hdrLog;

  @Option(
      names = "--threshold",
      paramLabel = "COND",
      split = ";",
      description =
          "Checked at the end; exit 1 when one fails. E.g. 'p99<250ms', 'errors<1%%', "
              + "'achievedRate>=95%%'. Repeatable.")
  List<String> thresholds = new ArrayList<>();

  @Option(
      names = "--abort-on",
      paramLabel = "COND",
      split = ";",
      description =
          "Stop early (exit 1) when true over the last 5s, e.g. 'errors>50%%'. Repeatable.")
  List<String> abortOn = new ArrayList<>();

  @Option(
      names = "--abort-delay",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "10s",
      description = "Evaluate --abort-on only after this. Default: ${DEFAULT-VALUE}.")
  double abortDelay;

  @Option(
      names = "--progress",
      converter = Progress.class,
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (in place on a terminal, lines otherwise), lines, tty or off. Default: ${DEFAULT-VALUE}.")
  ProgressMode progress;

  /** Reads {@code burst} or {@code skip}. */
  @Option(
      names = "--transport",
      converter = TransportKind.class,
      paramLabel = "KIND",
      defaultValue = "auto",
      description =
          "auto (lean HTTP/1.1 for plain http:// targets, Jetty for --http2 and https), lean or jetty. "
              + "Default: ${DEFAULT-VALUE}.")
  Transport transport;

  @Option(
      names = "--closed",
      description =
          "Closed model (as wrk and hey): --connections users, each sending its next request when the "
              + "previous one answers, for --duration; no rate, latency uncorrected.")
  boolean closed;

  static final class TransportKind extends Converters.Parsed<Transport> {
    TransportKind() {
      super(Transport::parse);
    }
  }

  static final class CatchUpPolicy extends Converters.Parsed<CatchUp> {
    CatchUpPolicy() {
      super(CatchUp::parse);
    }
  }

  /** Reads {@code auto}, {@code lines}, {@code tty} or {@code off}. */
  static final class Progress extends Converters.Parsed<ProgressMode> {
    Progress() {
      super(ProgressMode::parse);
    }
  }

  /**
   * Builds the validated config from these options plus the command's own load settings.
   *
   * @throws UsageException naming the flag and the value that is wrong
   */
  public RunConfig toConfig(
      RequestMix mix, RateProfile profile, ShardSpec shard, Map<String, Object> described) {
    RunConfig.Builder b = RunConfig.builder().mix(mix).profile(profile).shard(shard);
    flag("--connections", b::connections, connections);
    b.http2(http2);
    flag("--max-in-flight", b::maxInFlight, maxInFlight);
    flag("--metrics-port", b::metricsPort, metricsPort);
    b.maxConnectionAgeMillis(millis(maxConnectionAge))
        .idleTimeoutMillis(millis(idleTimeout))
        .connectTimeoutMillis(millis(connectTimeout))
        .requestTimeoutMillis(millis(timeout))
        .drainSeconds(drainTimeout)
        .catchUp(catchUp)
        .progress(progress)
        .thresholds(UsageException.fromInvalid("--threshold", () -> Thresholds.parse(thresholds)))
        .abort(
            UsageException.fromInvalid("--abort-on", () -> AbortRule.parse(abortOn, abortDelay)));
    if (pushgateway != null) {
      b.pushgateway(pushgateway);
    }
    if (out != null) {
      b.out(out);
    }
    if (hdrLog != null) {
      b.hdrLog(hdrLog);
    }
    Map<String, Object> d = new LinkedHashMap<>(described);
    d.put("connections", connections);
    d.put("http2", http2);
    d.put("maxInFlight", maxInFlight);
    d.put("maxConnectionAge", maxConnectionAge == 0 ? "off" : Durations.format(maxConnectionAge));
    d.put("idleTimeout", Durations.format(idleTimeout));
    d.put("connectTimeout", Durations.format(connectTimeout));
    d.put("timeout", Durations.format(timeout));
    d.put("catchUp", catchUp.name().toLowerCase(Locale.ROOT));
    d.put("thresholds", List.copyOf(thresholds));
    d.put("abortOn", List.copyOf(abortOn));
    if (out != null) {
      d.put("out", out.toString());
    }
    if (hdrLog != null) {
      d.put("hdrLog", hdrLog.toString());
    }
    b.transport(transport).closed(closed);
    d.put("model", closed ? "closed" : "open");
    d.put(
        "transport",
        UsageException.fromInvalid(
                "--transport",
                () ->
                    transport.resolve(
                        http2, mix.entries().stream().map(w -> w.template().uri()).toList()))
            .key());
    b.described(d);
    // The one check across flags: --http2 with an https:// target.
    return UsageException.fromInvalid("--http2", b::build);
  }

  /** Hands a flag's value to a builder setter; the setter's refusal names the flag. */
  private static void flag(String flag, IntFunction<?> setter, int value) {
    UsageException.fromInvalid(flag, () -> setter.apply(value));
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000.0);
  }
}
