package dev.surge.app;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration syntax of the app's flags: a whole number followed by {@code ms}, {@code s},
 * {@code m} or {@code h} (e.g. {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}). A bare number is
 * rejected, because a reader cannot tell whether {@code 5} meant seconds or milliseconds.
 */
public final class Durations {
  // At most 9 digits so that the value always fits a long after scaling to milliseconds.
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /**
   * Returns the duration {@code text} denotes.
   *
   * @throws IllegalArgumentException if {@code text} is not a number followed by ms, s, m or h
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "'");
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofHours(amount);
    }
  }

  /** Formats {@code d} in the flag syntax with the largest unit that represents it exactly. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
