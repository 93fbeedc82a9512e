package dev.surge.loadgen.check;

import dev.surge.loadgen.output.RunResult.Summary;
import java.util.List;
import java.util.Optional;

/**
 * {@code --abort-on} conditions: the run stops early (exit 1) as soon as one of them is true over
 * the last {@link #WINDOW_SECONDS} seconds, evaluated once per interval after {@code delaySeconds}
 * ({@code --abort-delay}), so that a cold start does not abort a run. Same grammar as {@link
 * Threshold}, but the condition is what triggers the abort, e.g. {@code errors>50%} or {@code
 * p99>2s}.
 */
public record AbortRule(List<Threshold> conditions, double delaySeconds) {
  /** Length of the sliding window the conditions are evaluated on. */
  public static final int WINDOW_SECONDS = 5;

  public static AbortRule parse(List<String> texts, double delaySeconds) {
    return new AbortRule(Thresholds.parse(texts).all(), delaySeconds);
  }

  /**
   * The reason to abort, if a condition is true for the window ending at {@code elapsedSeconds}.
   */
  public Optional<String> check(double elapsedSeconds, Summary window) {
    if (elapsedSeconds < delaySeconds || window.requests() == 0) {
      return Optional.empty();
    }
    for (Threshold c : conditions) {
      if (c.holds(window)) {
        return Optional.of(
            c.text()
                + " (was "
                + c.actual(window)
                + " over the last "
                + WINDOW_SECONDS
                + "s at "
                + Math.round(elapsedSeconds)
                + "s)");
      }
    }
    return Optional.empty();
  }
}
