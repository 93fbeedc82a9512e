package dev.surge.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats the human durations used by every loadgen flag and profile: {@code 500ms},
 * {@code 5s}, {@code 2m}, {@code 1h}, decimals ({@code 1.5s}) and compounds ({@code 1m30s}). A bare
 * number is rejected, as in the app's flags, because "60" could mean seconds or milliseconds.
 *
 * <pre>{@code
 * double s = Durations.parseSeconds("1m30s"); // 90.0
 * String text = Durations.format(90.0);       // "1m30s"
 * }</pre>
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration into seconds.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static double parseSeconds(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration (use e.g. 500ms, 30s, 2m, 1h)");
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(t);
    int pos = 0;
    double seconds = 0;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not a duration (use e.g. 500ms, 30s, 2m, 1h or 1m30s; a bare number has no unit)");
      }
      double v = Double.parseDouble(m.group(1));
      seconds +=
          switch (m.group(2)) {
            case "ms" -> v / 1000.0;
            case "s" -> v;
            case "m" -> v * 60.0;
            default -> v * 3600.0;
          };
      pos = m.end();
    }
    return seconds;
  }

  /**
   * Formats seconds the way {@link #parseSeconds} reads them back: {@code 90.0 -> "1m30s"}, {@code
   * 0.25 -> "250ms"}.
   */
  public static String format(double seconds) {
    if (seconds < 1.0) {
      return trim(seconds * 1000.0) + "ms";
    }
    long whole = (long) Math.floor(seconds);
    double frac = seconds - whole;
    if (frac > 1e-9) {
      return trim(seconds) + "s";
    }
    long h = whole / 3600;
    long m = (whole % 3600) / 60;
    long s = whole % 60;
    StringBuilder b = new StringBuilder();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(m).append('m');
    }
    if (s > 0 || b.length() == 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }

  private static String trim(double v) {
    if (v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }
}
