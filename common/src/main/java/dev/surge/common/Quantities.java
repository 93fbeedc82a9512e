package dev.surge.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities as the manifests write them: CPU ({@code 250m}, {@code 0.5}) and
 * bytes ({@code 256Mi}).
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti|e[0-9]+)?");

  private Quantities() {}

  /** CPU in millicores: {@code "250m" -> 250}, {@code "0.5" -> 500}, {@code "2" -> 2000}. */
  public static long cpuMillicores(String text) {
    return parse(text)
        .multiply(BigDecimal.valueOf(1000))
        .setScale(0, RoundingMode.CEILING)
        .longValue();
  }

  /** Bytes: {@code "256Mi" -> 268435456}, {@code "1G" -> 1000000000}. */
  public static long bytes(String text) {
    return parse(text).setScale(0, RoundingMode.CEILING).longValue();
  }

  /**
   * The quantity in base units, exactly: cores for CPU ({@code "250m" -> 0.25}), bytes for memory
   * ({@code "512Mi" -> 536870912}), a count for anything else ({@code "4" -> 4}).
   *
   * @throws IllegalArgumentException naming the text when it is not a quantity
   */
  public static BigDecimal value(String text) {
    return parse(text);
  }

  private static BigDecimal parse(String text) {
    Matcher m = QUANTITY.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a Kubernetes quantity (e.g. 250m, 0.5, 256Mi)");
    }
    BigDecimal v = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix == null) {
      return v;
    }
    if (suffix.startsWith("e")) {
      return v.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    return switch (suffix) {
      case "m" -> v.movePointLeft(3);
      case "k" -> v.movePointRight(3);
      case "M" -> v.movePointRight(6);
      case "G" -> v.movePointRight(9);
      case "T" -> v.movePointRight(12);
      case "Ki" -> v.multiply(BigDecimal.valueOf(1L << 10));
      case "Mi" -> v.multiply(BigDecimal.valueOf(1L << 20));
      case "Gi" -> v.multiply(BigDecimal.valueOf(1L << 30));
      default -> v.multiply(BigDecimal.valueOf(1L << 40));
    };
  }
}
