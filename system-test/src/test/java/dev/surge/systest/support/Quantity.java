package dev.surge.systest.support;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 250m}, {@code 1.5}, {@code 512Mi}, {@code 7Gi}, {@code
 * "4"}) in base units (cores, bytes, a count): exact for comparing manifests, as a double for
 * emulating them.
 */
public final class Quantity {
  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?");
  private static final Map<String, BigDecimal> SUFFIX =
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

  private Quantity() {}

  /** The quantity in base units, exactly: {@code 250m} is 0.25, {@code 512Mi} is 536870912. */
  public static BigDecimal parse(String text) {
    Matcher m = QUANTITY.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: '" + text + "'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    return m.group(2) == null ? number : number.multiply(SUFFIX.get(m.group(2)));
  }

  /** {@link #parse} as a double. */
  public static double parseDouble(String text) {
    return parse(text).doubleValue();
  }
}
