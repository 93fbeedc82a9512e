package dev.surge.app.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code status} label values: a fixed list, so no client can create series by asking {@code
 * /status/{code}} for every code. A code the app itself answers with, or one the SLO rules and
 * dashboards commonly single out, keeps its number; any other code is folded into its class ({@code
 * 1xx} ... {@code 5xx}). Every value of a class starts with its digit, so {@code status=~"5.."}
 * still selects every server error and {@code status=~"4.."} every client error.
 *
 * <pre>{@code
 * StatusLabel.of(503);  // "503"  (the app's own readiness answer)
 * StatusLabel.of(507);  // "5xx"
 * StatusLabel.of(302);  // "3xx"
 * }</pre>
 *
 * <p>Immutable; safe from any thread.
 */
public final class StatusLabel {
  /**
   * Codes kept exactly: what the app answers with itself (200, 400, 401, 404, 405, 409, 413, 500,
   * 503) and the gateway/overload codes alerts and runbooks name (429, 502, 504).
   */
  static final List<Integer> EXACT =
      List.of(200, 400, 401, 404, 405, 409, 413, 429, 500, 502, 503, 504);

  /** The class values, index 0 is {@code 1xx}. */
  static final List<String> CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx");

  /** Every label value, exact codes first, then the classes. */
  public static final List<String> VALUES;

  private static final int MIN = 100;
  private static final int MAX = 599;
  private static final int[] INDEX = new int[MAX - MIN + 1];

  static {
    List<String> values = new ArrayList<>();
    for (int code : EXACT) {
      values.add(Integer.toString(code));
    }
    values.addAll(CLASSES);
    VALUES = List.copyOf(values);
    for (int code = MIN; code <= MAX; code++) {
      int exact = EXACT.indexOf(code);
      INDEX[code - MIN] = exact >= 0 ? exact : EXACT.size() + (code / 100 - 1);
    }
  }

  private StatusLabel() {}

  /**
   * The index into {@link #VALUES} of a response status. Statuses outside 100..599 (which Jetty
   * does not send) are clamped into that range first.
   */
  public static int index(int status) {
    return INDEX[Math.min(Math.max(status, MIN), MAX) - MIN];
  }

  /** The label value of a response status. */
  public static String of(int status) {
    return VALUES.get(index(status));
  }

  /** The index into {@link #CLASSES} of the value at {@code index}. */
  static int classIndex(int index) {
    return index < EXACT.size() ? EXACT.get(index) / 100 - 1 : index - EXACT.size();
  }

  /** The index into {@link #VALUES} of a class, {@code 0} being {@code 1xx}. */
  static int indexOfClass(int classIndex) {
    return EXACT.size() + classIndex;
  }

  /** Whether the value at {@code index} is a class rather than an exact code. */
  static boolean isClass(int index) {
    return index >= EXACT.size();
  }
}
