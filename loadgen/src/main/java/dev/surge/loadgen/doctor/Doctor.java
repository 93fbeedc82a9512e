package dev.surge.loadgen.doctor;

import dev.surge.common.cli.ExitCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every {@link Check} against one cluster and one rendered overlay, prints one line per
 * result, and returns the exit code: {@link ExitCode#OK} when every line is ok, {@link
 * ExitCode#FAILED} when any is missing (or the API server cannot be reached: then nothing else is
 * checked).
 *
 * <pre>{@code
 * int code = new Doctor(Doctor.checks()).run(overlay, cluster, "kind-surge", out);
 * }</pre>
 */
final class Doctor {
  private final List<Check> checks;

  Doctor(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The checks in report order. */
  static List<Check> checks() {
    return List.of(
        new MetricsServerCheck(),
        new CrdCheck(),
        new PrometheusSelectorCheck(),
        new GrafanaSidecarCheck(),
        new AlertmanagerConfigCheck(),
        new SecretCheck(),
        new ImagePullCheck());
  }

  int run(Overlay overlay, Cluster cluster, String context, PrintWriter out) {
    String version;
    try {
      version = cluster.serverVersion();
    } catch (ClusterException e) {
      out.println(
          CheckResult.missing(
                  "cluster",
                  "context " + context,
                  "cannot reach the API server: " + e.getMessage() + "; nothing else checked",
                  "kubectl --context " + context + " cluster-info")
              .line());
      out.flush();
      return ExitCode.FAILED.code();
    }
    out.println(
        "surge doctor: context "
            + context
            + " (server "
            + version
            + "), overlay "
            + overlay.source()
            + " ("
            + overlay.objects().size()
            + " objects)");
    List<CheckResult> results = new ArrayList<>();
    for (Check check : checks) {
      List<CheckResult> lines;
      try {
        lines = check.run(overlay, cluster);
      } catch (ClusterException e) {
        String what = e.resource() == null ? "the cluster" : e.resource();
        lines =
            List.of(
                CheckResult.missing(
                    check.name(),
                    "read " + what,
                    "cannot read: " + e.getMessage(),
                    "kubectl --context "
                        + context
                        + " auth can-i list "
                        + what
                        + " --all-namespaces # then rerun with a user that can"));
      }
      for (CheckResult r : lines) {
        out.println(r.line());
        results.add(r);
      }
    }
    long missing = results.stream().filter(r -> !r.ok()).count();
    out.println(
        missing == 0
            ? "all " + results.size() + " checks ok"
            : missing + " of " + results.size() + " checks missing");
    out.flush();
    return missing == 0 ? ExitCode.OK.code() : ExitCode.FAILED.code();
  }
}
