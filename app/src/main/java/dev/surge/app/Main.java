package dev.surge.app;

import dev.surge.common.Version;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.ShutdownSignal;
import dev.surge.common.cli.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point: {@code java -jar surge-app.jar [flags]}. Prints the start-up line once
 * both ports are bound, drains on SIGTERM and exits 0. Exit codes come from {@link ExitCode}: 2
 * ({@code USAGE}) on a bad flag or environment variable, or a port that is taken, naming the flag,
 * without a stack trace; 70 ({@code SOFTWARE}) with the stack trace for anything else, which is a
 * bug. The app has no verdict, so it never exits 1 ({@code FAILED}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ExitCode code = run(args, System.getenv(), System.out, System.err);
    if (code != ExitCode.OK) {
      System.exit(code.code());
    }
  }

  /**
   * Runs the app until it is stopped by SIGTERM.
   *
   * @return {@code OK} after a clean shutdown or for --help/--version, {@code USAGE} on a bad flag
   *     or environment variable or a port that is taken, {@code SOFTWARE} on a bug
   */
  public static ExitCode run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      return serve(args, env, out, err);
    } catch (RuntimeException | Error e) {
      err.println("surge-app: unexpected " + e.getClass().getName() + ": " + e.getMessage());
      err.println("This is a bug in surge; please report it with the trace below.");
      e.printStackTrace(err);
      err.flush();
      return ExitCode.SOFTWARE;
    }
  }

  private static ExitCode serve(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> argList = Arrays.asList(args);
    if (AppConfig.wantsHelp(argList)) {
      out.print(AppConfig.usage());
      return ExitCode.OK;
    }
    if (AppConfig.wantsVersion(argList)) {
      out.println("surge-app " + Version.get());
      return ExitCode.OK;
    }
    StartupWarmup warmup = StartupWarmup.start();
    AppConfig config;
    try {
      config = AppConfig.parse(argList, env);
    } catch (UsageException e) {
      err.println("surge-app: " + e.getMessage());
      err.println("Run with --help for the flags.");
      return ExitCode.USAGE;
    }
    try {
      ParentWatch.start(env);
    } catch (IllegalArgumentException e) {
      err.println("surge-app: " + e.getMessage());
      return ExitCode.USAGE;
    }
    SurgeApp app;
    warmup.awaitLogging(); // before the app's and Jetty's loggers exist
    try {
      app = SurgeApp.start(config);
    } catch (IllegalStateException e) {
      // A port that is taken: the user's --port or --metrics-port does not fit this machine, a
      // usage error (ExitCode: the input was wrong, the message names it), not a verdict (FAILED)
      // and not a bug (SOFTWARE, with a trace).
      err.println("surge-app: " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (!ShutdownSignal.onSignal("surge-shutdown", () -> drainAndExit(app, out))) {
      // SIGTERM came while the app was starting: the JVM is already going down, so stop now (no
      // start-up line, nothing was announced as ready) rather than die with a stack trace.
      app.close();
      return ExitCode.OK;
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
    return ExitCode.OK;
  }

  private static void drainAndExit(SurgeApp app, PrintStream out) {
    app.close();
    out.flush();
    // The JVM reports 143 after SIGTERM even when every hook succeeded; a drained app is a clean
    // exit.
    Runtime.getRuntime().halt(ExitCode.OK.code());
  }
}
