package dev.surge.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point: {@code java -jar surge-app.jar [flags]}. Prints the start-up line once
 * both ports are bound, drains on SIGTERM and exits 0; exits 2 on a bad flag, 1 if the app cannot
 * start.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the app until it is stopped by SIGTERM.
   *
   * @return the exit code: 0 after a clean shutdown or for --help/--version, 1 if the app cannot
   *     start, 2 on a bad flag or environment variable
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> argList = Arrays.asList(args);
    if (AppConfig.wantsHelp(argList)) {
      out.print(AppConfig.usage());
      return 0;
    }
    if (AppConfig.wantsVersion(argList)) {
      out.println("surge-app " + Version.get());
      return 0;
    }
    AppConfig config;
    try {
      config = AppConfig.parse(argList, env);
    } catch (IllegalArgumentException e) {
      err.println("surge-app: " + e.getMessage());
      err.println("Run with --help for the flags.");
      return 2;
    }
    try {
      ParentWatch.start(env);
    } catch (IllegalArgumentException e) {
      err.println("surge-app: " + e.getMessage());
      return 2;
    }
    SurgeApp app;
    try {
      app = SurgeApp.start(config);
    } catch (IllegalStateException e) {
      err.println("surge-app: " + e.getMessage());
      return 1;
    }
    try {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> drainAndExit(app, out), "surge-shutdown"));
    } catch (IllegalStateException shutdownInProgress) {
      // SIGTERM came while the app was starting: the JVM is already going down, so stop now (no
      // start-up line,
      // nothing was announced as ready) rather than die with a stack trace.
      app.close();
      return 0;
    }
    out.println(
        "surge-app started port="
            + app.port()
            + " metrics-port="
            + app.metricsPort()
            + " instance="
            + app.instance()
            + " version="
            + Version.get());
    out.flush();
    try {
      app.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void drainAndExit(SurgeApp app, PrintStream out) {
    app.close();
    out.flush();
    // The JVM reports 143 after SIGTERM even when every hook succeeded; a drained app is a clean
    // exit.
    Runtime.getRuntime().halt(0);
  }
}
