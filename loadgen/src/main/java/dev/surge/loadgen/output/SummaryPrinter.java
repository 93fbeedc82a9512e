package dev.surge.loadgen.output;

import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The final text summary of a run, printed after the progress lines. */
public final class SummaryPrinter {
  private SummaryPrinter() {}

  /** Prints the summary (and the checks, when there are any). */
  public static void print(PrintWriter out, Summary s, Checks checks) {
    out.println();
    out.printf(
        Locale.ROOT,
        "requests %d  ok %d  errors %d  dropped %d  late %d  unfinished %d  in %.1fs%n",
        s.requests(),
        s.ok(),
        s.errors(),
        s.dropped(),
        s.late(),
        s.unfinished(),
        s.durationSeconds());
    out.printf(
        Locale.ROOT,
        "rate     target %.1f/s  achieved %.1f/s (responses completed per second)%n",
        s.targetRate(),
        s.achievedRate());
    out.println("latency  (ms)          p50       p90       p95       p99     p99.9       max");
    row(out, "corrected", s.latencyMillis().corrected());
    row(out, "uncorrected", s.latencyMillis().uncorrected());
    out.println(
        "         corrected = from the intended send time (what a user waits); uncorrected = from the actual send");
    if (!s.errorsByKind().isEmpty()) {
      out.println("errors   " + join(s.errorsByKind()));
    }
    out.println("status   " + (s.statusCodes().isEmpty() ? "-" : join(s.statusCodes())));
    out.println("backends " + (s.backends().isEmpty() ? "-" : join(s.backends())));
    if (s.missingShards() != null && !s.missingShards().isEmpty()) {
      out.println("missing  shards " + s.missingShards() + " sent no result");
    }
    if (checks != null) {
      for (ThresholdOutcome t : checks.thresholds()) {
        out.printf(
            Locale.ROOT,
            "check    %-20s actual %-12s %s%n",
            t.threshold(),
            fmt(t.actual()),
            t.passed() ? "ok" : "FAILED");
      }
      if (checks.aborted()) {
        out.println("aborted  " + checks.abortReason());
      }
      if (checks.verdict() != null) {
        out.println("verdict  " + checks.verdict());
      }
    }
    out.flush();
  }

  private static void row(PrintWriter out, String name, Percentiles p) {
    out.printf(
        Locale.ROOT,
        "  %-13s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
        name,
        p.p50(),
        p.p90(),
        p.p95() == null ? 0 : p.p95(),
        p.p99(),
        p.p999() == null ? 0 : p.p999(),
        p.max());
  }

  private static String join(Map<String, Long> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "  ").append(k).append('=').append(v));
    return b.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
