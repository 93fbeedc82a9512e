package dev.surge.lab.cost;

import dev.surge.common.cli.UsageException;
import dev.surge.lab.cli.LabOptions;

/**
 * Unit prices the cost figures use. The defaults are the FinOps dashboard's price variables ({@code
 * price_vcpu_hour} 0.04048, {@code price_gib_hour} 0.004445, {@code currency} USD: AWS Fargate
 * on-demand, Linux/x86, us-east-1), so the lab's figure and the dashboard's "Estimated cost in
 * range" agree for the same run.
 *
 * @param vcpuHour price of one requested vCPU for an hour
 * @param gibHour price of one requested GiB of memory for an hour
 * @param currency the currency's code, as printed
 */
public record Prices(double vcpuHour, double gibHour, String currency) {
  /** The FinOps dashboard's price per vCPU-hour. */
  public static final double DASHBOARD_VCPU_HOUR = 0.04048;

  /** The FinOps dashboard's price per GiB-hour. */
  public static final double DASHBOARD_GIB_HOUR = 0.004445;

  public Prices {
    if (!(vcpuHour >= 0) || !(gibHour >= 0)) {
      throw new IllegalArgumentException("prices must be >= 0");
    }
  }

  /** The dashboard's prices in USD. */
  public static Prices dashboard() {
    return new Prices(DASHBOARD_VCPU_HOUR, DASHBOARD_GIB_HOUR, "USD");
  }

  /** From {@code --price-vcpu-hour}, {@code --price-gib-hour} and {@code --currency}. */
  public static Prices from(LabOptions o) {
    double cpu = price("--price-vcpu-hour", o.priceVcpuHour);
    double mem = price("--price-gib-hour", o.priceGibHour);
    if (!o.currency.matches("[A-Za-z]{1,8}")) {
      throw new UsageException("--currency '" + o.currency + "': expected a code such as USD");
    }
    return new Prices(cpu, mem, o.currency.toUpperCase(java.util.Locale.ROOT));
  }

  private static double price(String flag, String value) {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " '" + value + "': not a number", e);
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new UsageException(flag + " '" + value + "': must be >= 0");
    }
    return v;
  }
}
