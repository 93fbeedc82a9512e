package dev.surge.loadgen.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code surge-loadgen} command: only a list of subcommands. */
@Command(
    name = "surge-loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Open-model load generator that tells the truth about latency and drives HPA scaling.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      MergeCommand.class,
      CalibrateCommand.class,
      PlanCommand.class,
      SimulateCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SurgeLoadgen implements Runnable {
  /** Usage errors (bad flag, bad value) exit with this code. */
  public static final int EXIT_USAGE = 2;

  /** Thresholds failed or the run was aborted. */
  public static final int EXIT_FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Map<String, String> env = Map.of();

  /** The environment the commands read ({@code SURGE_LOADGEN_*}, {@code JOB_COMPLETION_INDEX}). */
  public Map<String, String> env() {
    return env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing command: run, demo, merge, calibrate, plan, simulate or report");
  }

  /**
   * Builds the command line with the exit codes and the error handling that every command shares.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, System.getenv());
  }

  /**
   * {@link #commandLine(PrintWriter, PrintWriter)} reading options' fallbacks from {@code env}
   * instead of the process environment (each option {@code --some-flag} falls back to {@code
   * SURGE_LOADGEN_SOME_FLAG}).
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    SurgeLoadgen root = new SurgeLoadgen();
    root.env = Map.copyOf(env);
    CommandLine cli = new CommandLine(root);
    cli.setDefaultValueProvider(new EnvDefaults(root.env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(t -> isUsage(t) ? EXIT_USAGE : EXIT_FAILED);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("error: " + ex.getMessage());
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          // Bad values found while building a command's pieces are usage errors; anything else is a
          // failure.
          // Either way the user gets one line, never a stack trace.
          c.getErr().println("error: " + ex.getMessage());
          return isUsage(ex) ? EXIT_USAGE : EXIT_FAILED;
        });
    return cli;
  }

  private static boolean isUsage(Throwable t) {
    return t instanceof IllegalArgumentException
        || t instanceof dev.surge.common.cli.UsageException;
  }
}
