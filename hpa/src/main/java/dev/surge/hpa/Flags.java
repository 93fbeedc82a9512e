package dev.surge.hpa;

import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import java.util.function.Function;

/**
 * Parses the HPA commands' flag values so that every bad value becomes an {@link
 * IllegalArgumentException} naming the flag and the value (the CLI turns it into exit 2).
 */
public final class Flags {
  private Flags() {}

  /**
   * Applies {@code parser} to {@code value}, prefixing any complaint with the flag and the value.
   */
  public static <T> T parse(String flag, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " '" + value + "': " + e.getMessage(), e);
    }
  }

  public static double seconds(String flag, String value) {
    return parse(flag, value, Durations::parseSeconds);
  }

  public static double nonNegative(String flag, String value) {
    return parse(
        flag,
        value,
        v -> {
          double d;
          try {
            d = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
          }
          if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a number >= 0");
          }
          return d;
        });
  }

  public static int positiveInt(String flag, String value) {
    return parse(
        flag,
        value,
        v -> {
          int i;
          try {
            i = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
          }
          if (i < 1) {
            throw new IllegalArgumentException("must be >= 1");
          }
          return i;
        });
  }

  public static long millicores(String flag, String value) {
    return parse(flag, value, Quantities::cpuMillicores);
  }

  public static long bytes(String flag, String value) {
    return parse(flag, value, Quantities::bytes);
  }
}
