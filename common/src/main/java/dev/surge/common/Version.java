package dev.surge.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The surge version: the Maven project version, written into {@code version.properties} when {@code
 * common} is built (a filtered resource), so the app, the loadgen and the lab say the same thing
 * from a jar and from classes in a test.
 *
 * <pre>{@code
 * out.println("surge-app " + Version.get()); // surge-app 0.1.0
 * }</pre>
 */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  /** The project version, e.g. {@code 0.1.0}. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
  }
}
