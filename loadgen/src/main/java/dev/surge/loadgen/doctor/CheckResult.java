package dev.surge.loadgen.doctor;

import java.util.Locale;

/**
 * One line of the doctor's report: a check of one thing, ok or missing, and for a missing one the
 * command that fixes it.
 *
 * @param status ok or missing
 * @param check which check ({@code metrics-server}, {@code crd}, {@code prometheus}, ...)
 * @param subject what was checked ({@code ServiceMonitor surge/surge})
 * @param detail what was found, in a sentence
 * @param fix the exact command that fixes it (empty when ok)
 */
record CheckResult(Status status, String check, String subject, String detail, String fix) {
  /** Whether a check passed. */
  enum Status {
    OK,
    MISSING
  }

  static CheckResult ok(String check, String subject, String detail) {
    return new CheckResult(Status.OK, check, subject, detail, "");
  }

  static CheckResult missing(String check, String subject, String detail, String fix) {
    return new CheckResult(Status.MISSING, check, subject, detail, fix);
  }

  boolean ok() {
    return status == Status.OK;
  }

  /**
   * The report line: {@code ok crd VerticalPodAutoscaler: served by ...} or {@code missing ... :
   * ... fix: <command>}.
   */
  String line() {
    String head =
        String.format(
            Locale.ROOT,
            "%-8s %-14s %s: %s",
            status.name().toLowerCase(Locale.ROOT),
            check,
            subject,
            detail);
    return fix.isEmpty() ? head : head + "  fix: " + fix;
  }
}
