package dev.surge.common.profile;

import dev.surge.common.Durations;
import java.util.Locale;

/**
 * One stage of a rate profile as the user wrote it (after parsing), kept for printing the plan.
 * {@link #spec()} gives the canonical text that {@link RateProfile#parse} reads back to the same
 * stage.
 *
 * @param kind one of {@code hold}, {@code ramp}, {@code step}, {@code spike}, {@code sine}, {@code
 *     pause}
 * @param from rate at the start (requests/s); the base rate for a spike, the low rate for a sine
 * @param to rate at the end; the peak for a spike, the high rate for a sine
 * @param durationSeconds length of the stage
 * @param steps the number of levels of a step stage (else 0)
 * @param paramSeconds spike width or sine period (else 0)
 */
public record Stage(
    String kind, double from, double to, double durationSeconds, int steps, double paramSeconds) {

  /** The canonical spec text of this stage, e.g. {@code ramp:0->400/2m}. */
  public String spec() {
    String d = Durations.format(durationSeconds);
    return switch (kind) {
      case "hold" -> "hold:" + num(from) + "/" + d;
      case "pause" -> "pause:" + d;
      case "step" -> "step:" + num(from) + "->" + num(to) + "x" + steps + "/" + d;
      case "spike" ->
          "spike:" + num(from) + "->" + num(to) + "/" + d + "@" + Durations.format(paramSeconds);
      case "sine" ->
          "sine:" + num(from) + "->" + num(to) + "/" + d + "@" + Durations.format(paramSeconds);
      default -> kind + ":" + num(from) + "->" + num(to) + "/" + d;
    };
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
