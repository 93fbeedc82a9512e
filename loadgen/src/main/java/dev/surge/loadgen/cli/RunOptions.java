package dev.surge.loadgen.cli;

import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.run.RunConfig.ProgressMode;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that shape how load is sent and reported, shared by {@code run} and the lab (a
 * picocli mixin), and their validation into a {@link RunConfig}. Every bad value fails with a
 * message that names the flag and the value.
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
      paramLabel = "DUR",
      defaultValue = "off",
      description =
          "Retire connections older than this (e.g. 10s) so new pods behind a Service get traffic. "
              + "Default: ${DEFAULT-VALUE}.")
  String maxConnectionAge;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DUR",
      defaultValue = "10s",
      description =
          "Close idle connections after this; keep it below the server's. Default: ${DEFAULT-VALUE}.")
  String idleTimeout;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DUR",
      defaultValue = "5s",
      description = "TCP connect timeout. Default: ${DEFAULT-VALUE}.")
  String connectTimeout;

  @Option(
      names = "--timeout",
      paramLabel = "DUR",
      defaultValue = "30s",
      description = "Total timeout of one request (queueing included). Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(
      names = "--catch-up",
      paramLabel = "POLICY",
      defaultValue = "burst",
      description =
          "Overdue requests: burst (send at once, latency still from the intended time) or skip "
              + "(drop those over 100ms late). Default: ${DEFAULT-VALUE}.")
  String catchUp;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DUR",
      defaultValue = "10s",
      description =
          "After the last send, wait this long for in-flight requests (2s at most when stopped by a "
              + "signal). Default: ${DEFAULT-VALUE}.")
  String drainTimeout;

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
      paramLabel = "URL",
      description =
          "Push the final figures to this Pushgateway (PUT URL/metrics/job/surge-loadgen) at the end.")
  String pushgateway;

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
      paramLabel = "DUR",
      defaultValue = "10s",
      description = "Evaluate --abort-on only after this. Default: ${DEFAULT-VALUE}.")
  String abortDelay;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (in place on a terminal, lines otherwise), lines, tty or off. Default: ${DEFAULT-VALUE}.")
  String progress;

  /** Builds the validated config from these options plus the command's own load settings. */
  public RunConfig toConfig(
      RequestMix mix, RateProfile profile, ShardSpec shard, Map<String, Object> described) {
    positive("--connections", connections);
    positive("--max-in-flight", maxInFlight);
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "--metrics-port must be -1 (off), 0 (any) or 1..65535, got " + metricsPort);
    }
    long age =
        "off".equalsIgnoreCase(maxConnectionAge.trim())
            ? 0
            : millis("--max-connection-age", maxConnectionAge);
    long idle = millis("--idle-timeout", idleTimeout);
    long connect = millis("--connect-timeout", connectTimeout);
    long request = millis("--timeout", timeout);
    double drain = millis("--drain-timeout", drainTimeout) / 1000.0;
    double abortDelaySeconds = millis("--abort-delay", abortDelay) / 1000.0;
    CatchUp policy = parse("--catch-up", catchUp, CatchUp::parse);
    ProgressMode mode =
        parse(
            "--progress",
            progress,
            s -> {
              try {
                return ProgressMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "'" + s + "' is not a progress mode (auto, lines, tty, off)", e);
              }
            });
    if (http2) {
      for (RequestMix.Weighted w : mix.entries()) {
        if (!"http".equalsIgnoreCase(w.template().uri().getScheme())) {
          throw new IllegalArgumentException(
              "--http2 speaks HTTP/2 clear-text (prior knowledge) to http:// targets only, got "
                  + w.template().uri());
        }
      }
    }
    Thresholds checks = parse("--threshold", thresholds, Thresholds::parse);
    AbortRule abort = parse("--abort-on", abortOn, t -> AbortRule.parse(t, abortDelaySeconds));
    if (pushgateway != null) {
      parse("--pushgateway", pushgateway, RequestTemplate::parseUrl);
    }
    Map<String, Object> d = new LinkedHashMap<>(described);
    d.put("connections", connections);
    d.put("http2", http2);
    d.put("maxInFlight", maxInFlight);
    d.put("maxConnectionAge", age == 0 ? "off" : Durations.format(age / 1000.0));
    d.put("idleTimeout", Durations.format(idle / 1000.0));
    d.put("connectTimeout", Durations.format(connect / 1000.0));
    d.put("timeout", Durations.format(request / 1000.0));
    d.put("catchUp", policy.name().toLowerCase(Locale.ROOT));
    d.put("thresholds", List.copyOf(thresholds));
    d.put("abortOn", List.copyOf(abortOn));
    if (out != null) {
      d.put("out", out.toString());
    }
    if (hdrLog != null) {
      d.put("hdrLog", hdrLog.toString());
    }
    return new RunConfig(
        mix,
        profile,
        shard,
        connections,
        http2,
        maxInFlight,
        age,
        idle,
        connect,
        request,
        policy,
        metricsPort,
        pushgateway,
        out,
        hdrLog,
        checks,
        abort,
        mode,
        drain,
        Map.copyOf(d));
  }

  static void positive(String flag, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(flag + " must be >= 1, got " + v);
    }
  }

  /** A duration flag in milliseconds; the message names the flag. */
  static long millis(String flag, String text) {
    double s = parse(flag, text, Durations::parseSeconds);
    if (s < 0) {
      throw new IllegalArgumentException(flag + ": must not be negative, got '" + text + "'");
    }
    return Math.round(s * 1000.0);
  }

  /**
   * Applies a parser and prefixes its message with the flag, so every usage error names the flag.
   */
  static <T, R> R parse(String flag, T value, java.util.function.Function<T, R> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}
