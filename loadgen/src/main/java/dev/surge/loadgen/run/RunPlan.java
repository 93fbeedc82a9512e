package dev.surge.loadgen.run;

import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.check.Threshold;
import dev.surge.loadgen.metrics.Pushgateway;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.schedule.Schedule;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The human-readable plan of a run: what {@code run --dry-run} prints after validating everything.
 */
public final class RunPlan {
  private RunPlan() {}

  /** Describes the resolved run, one setting per line. */
  public static String describe(RunConfig cfg) {
    StringBuilder b = new StringBuilder();
    RateProfile p = cfg.profile();
    Schedule s = Schedule.shard(p, cfg.shard().index(), cfg.shard().count());
    line(b, "plan", "surge-loadgen run (dry run: nothing is sent)");
    RequestMix mix = cfg.mix();
    double totalWeight = mix.entries().stream().mapToDouble(RequestMix.Weighted::weight).sum();
    for (RequestMix.Weighted w : mix.entries()) {
      line(
          b,
          "target",
          w.template().describe()
              + (mix.entries().size() > 1
                  ? String.format(Locale.ROOT, "  (%.1f%%)", 100 * w.weight() / totalWeight)
                  : ""));
    }
    line(b, "profile", p.toString());
    line(b, "duration", Durations.format(p.durationSeconds()));
    line(
        b,
        "whole run",
        String.format(
            Locale.ROOT,
            "peak %s req/s, mean %.1f req/s, %d requests",
            num(p.peakRate()),
            p.meanRate(),
            Schedule.of(p).size()));
    line(
        b,
        "this shard",
        String.format(
            Locale.ROOT,
            "%s: peak %s req/s, %d requests",
            cfg.shard(),
            num(p.peakRate() / cfg.shard().count()),
            s.size()));
    line(
        b,
        "client",
        String.format(
            Locale.ROOT,
            "%s, connections %d per target, max in flight %d, max connection age %s, catch-up %s",
            cfg.http2() ? "HTTP/2 (h2c)" : "HTTP/1.1",
            cfg.connections(),
            cfg.maxInFlight(),
            cfg.maxConnectionAgeMillis() == 0
                ? "off"
                : Durations.format(cfg.maxConnectionAgeMillis() / 1000.0),
            cfg.catchUp().name().toLowerCase(Locale.ROOT)));
    line(
        b,
        "timeouts",
        "connect "
            + Durations.format(cfg.connectTimeoutMillis() / 1000.0)
            + ", request "
            + Durations.format(cfg.requestTimeoutMillis() / 1000.0)
            + ", idle "
            + Durations.format(cfg.idleTimeoutMillis() / 1000.0));
    line(b, "metrics", cfg.metricsPort() < 0 ? "off" : "port " + cfg.metricsPort() + " /metrics");
    line(
        b,
        "pushgateway",
        cfg.pushgateway()
            .map(
                u ->
                    Pushgateway.pushUri(
                            u.toString(), cfg.shard().count() > 1 ? cfg.shard().index() : null)
                        .toString())
            .orElse("off"));
    line(b, "result", cfg.out().map(Object::toString).orElse("-"));
    line(b, "hdr log", cfg.hdrLog().map(Object::toString).orElse("-"));
    line(
        b,
        "thresholds",
        cfg.thresholds().all().isEmpty()
            ? "-"
            : cfg.thresholds().all().stream()
                .map(Threshold::text)
                .collect(Collectors.joining(", ")));
    line(
        b,
        "abort on",
        cfg.abort().conditions().isEmpty()
            ? "-"
            : cfg.abort().conditions().stream()
                    .map(Threshold::text)
                    .collect(Collectors.joining(", "))
                + " (after "
                + Durations.format(Math.max(cfg.abort().delaySeconds(), 0.001))
                + ")");
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(String.format(Locale.ROOT, "%-12s %s%n", key, value));
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
