package dev.surge.common.cli;

import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed picocli converters that every surge command shares, so that a duration, a quantity, a rate
 * or a URL is read the same way (and refused with the same message) everywhere. Picocli prefixes
 * the message with the option and the value: {@code Invalid value for option '--hold': '5x' ...}.
 *
 * <pre>{@code
 * @Option(names = "--hold", converter = Converters.Seconds.class) double holdSeconds;
 * }</pre>
 */
public final class Converters {
  private Converters() {}

  /** A duration with a unit ({@code 1.5s}, {@code 2m}, {@code 1m30s}, {@code 250ms}) in seconds. */
  public static final class Seconds extends Parsed<Double> {
    public Seconds() {
      super(Durations::parseSeconds);
    }
  }

  /**
   * A duration in seconds like {@link Seconds}, or {@code off} (any case) for a feature switched
   * off, read as {@code 0.0}: {@code --max-connection-age off}.
   */
  public static final class SecondsOrOff implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      if (value != null && value.trim().equalsIgnoreCase("off")) {
        return 0.0;
      }
      return new Seconds().convert(value);
    }
  }

  /**
   * Adapts a parser that throws {@link IllegalArgumentException} with a message naming the value
   * (an enum's {@code parse}, a record's {@code parse}) to a picocli converter, so that the command
   * needs no hand parsing:
   *
   * <pre>{@code
   * public static final class Policy extends Converters.Parsed<CatchUp> {
   *   public Policy() { super(CatchUp::parse); }
   * }
   * @Option(names = "--catch-up", converter = Policy.class) CatchUp catchUp;
   * }</pre>
   */
  public abstract static class Parsed<T> implements ITypeConverter<T> {
    private final Function<String, T> parser;

    protected Parsed(Function<String, T> parser) {
      this.parser = parser;
    }

    @Override
    public final T convert(String value) {
      try {
        return parser.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A Kubernetes CPU quantity ({@code 500m}, {@code 1}, {@code 0.25}) in millicores. */
  public static final class Millicores extends Parsed<Long> {
    public Millicores() {
      super(Quantities::cpuMillicores);
    }
  }

  /** A Kubernetes memory quantity ({@code 256Mi}, {@code 1G}, {@code 1048576}) in bytes. */
  public static final class Bytes extends Parsed<Long> {
    public Bytes() {
      super(Quantities::bytes);
    }
  }

  /** A rate in requests per second: a finite number {@code >= 0} ({@code 150}, {@code 2.5}). */
  public static final class Rate extends Parsed<Double> {
    public Rate() {
      super(v -> nonNegative(v, " (requests per second)"));
    }
  }

  /** An absolute {@code http://} or {@code https://} URL with a host. */
  public static final class HttpUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = new URI(value.trim());
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + value + "' is not a URL: " + e.getReason());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new TypeConversionException("'" + value + "' must start with http:// or https://");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new TypeConversionException("'" + value + "' has no host");
      }
      return uri;
    }
  }

  /** A finite number {@code >= 0} that is not a rate: a price, a tolerance ({@code 0.04}). */
  public static final class NonNegativeNumber extends Parsed<Double> {
    public NonNegativeNumber() {
      super(v -> nonNegative(v, ""));
    }
  }

  /** A finite number {@code >= 0}; the messages quote the value and end with {@code unit}. */
  private static double nonNegative(String value, String unit) {
    double d;
    try {
      d = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a number" + unit, e);
    }
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("'" + value + "' must be a finite number >= 0" + unit);
    }
    return d;
  }
}
