package dev.surge.app;

import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that does not depend on the configuration, run on a second core while the main
 * thread reads the flags and builds the app, so that {@code /readyz} answers sooner (issue 21;
 * docs/BENCHMARKS.md, "App"): the logging backend (slf4j-simple reads its properties and builds its
 * date format, which loads the JDK's calendar and locale data) and the JDK's list of available
 * locales (Jetty's {@code MimeTypes} asks for it in its static initializer). Both are one-time
 * initializations that the JDK and slf4j guard and cache; whichever thread comes second waits for
 * the first or finds the result.
 *
 * <p>Called once, from {@link Main} before anything else; thread-safe because it only starts a
 * daemon thread that touches nothing of the app.
 */
final class StartupWarmup {
  private StartupWarmup() {}

  static void start() {
    Thread t =
        new Thread(
            () -> {
              var unusedLoggers = LoggerFactory.getILoggerFactory();
              var unusedLocales = Locale.getAvailableLocales();
            },
            "surge-startup-warmup");
    t.setDaemon(true);
    t.start();
  }
}
