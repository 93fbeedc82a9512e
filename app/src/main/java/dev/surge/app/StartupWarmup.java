package dev.surge.app;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that does not depend on the configuration, run on a second core while the main
 * thread reads the flags, so that {@code /readyz} answers sooner (issue 21; docs/BENCHMARKS.md,
 * "App"): the logging backend (slf4j-simple reads its properties and builds its date format, which
 * loads the JDK's calendar and locale data), then the JDK's list of available locales (Jetty's
 * {@code MimeTypes} asks for it in its static initializer; the JDK computes it once and caches it).
 *
 * <p>The main thread calls {@link #awaitLogging} before anything logs or creates a logger: slf4j
 * hands out stand-in loggers while it initializes, and replays what they recorded with a warning on
 * stderr, which a start must not print.
 *
 * <p>Thread-safe: {@link #start} once, from {@link Main}; {@link #awaitLogging} from any thread.
 */
final class StartupWarmup {
  private final CountDownLatch logging = new CountDownLatch(1);

  private StartupWarmup() {}

  static StartupWarmup start() {
    StartupWarmup w = new StartupWarmup();
    Thread t = new Thread(w::run, "surge-startup-warmup");
    t.setDaemon(true);
    t.start();
    return w;
  }

  private void run() {
    try {
      var unusedLoggers = LoggerFactory.getILoggerFactory();
    } finally {
      logging.countDown();
    }
    var unusedLocales = Locale.getAvailableLocales();
  }

  /** Waits until the logging backend is initialized. */
  void awaitLogging() {
    try {
      logging.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
