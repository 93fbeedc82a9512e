package dev.surge.systest.stack;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 250m}, {@code 1.5}, {@code 512Mi}, {@code 1G}) as plain numbers. */
final class Quantities {
  private static final Pattern QUANTITY = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$");
  private static final Map<String, BigDecimal> FACTORS =
      Map.of(
          "m", new BigDecimal("0.001"),
          "k", BigDecimal.valueOf(1_000L),
          "M", BigDecimal.valueOf(1_000_000L),
          "G", BigDecimal.valueOf(1_000_000_000L),
          "T", BigDecimal.valueOf(1_000_000_000_000L),
          "Ki", BigDecimal.valueOf(1L << 10),
          "Mi", BigDecimal.valueOf(1L << 20),
          "Gi", BigDecimal.valueOf(1L << 30),
          "Ti", BigDecimal.valueOf(1L << 40));

  private Quantities() {}

  /** The quantity's value: {@code 250m} is 0.25, {@code 512Mi} is 536870912. */
  static double parse(String quantity) {
    Matcher m = QUANTITY.matcher(quantity.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: '" + quantity + "'");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    return m.group(2) == null ? value.doubleValue() : value.multiply(FACTORS.get(m.group(2))).doubleValue();
  }
}
