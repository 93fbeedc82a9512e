package dev.surge.systest.k8s;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Kubernetes resource quantities ({@code 250m}, {@code 512Mi}, {@code 7Gi}, {@code "4"}) to base units. */
final class Quantity {
  private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?");
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

  /** The quantity in base units (cores, bytes, a count). */
  static BigDecimal parse(String text) {
    Matcher m = QUANTITY.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: " + text);
    }
    BigDecimal number = new BigDecimal(m.group(1));
    return m.group(2) == null ? number : number.multiply(SUFFIX.get(m.group(2)));
  }
}
