package dev.surge.loadgen.cli;

import dev.surge.common.cli.Cli;
import dev.surge.common.cli.VersionProvider;
import dev.surge.loadgen.doctor.DoctorCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code surge-loadgen} command: only a list of subcommands. Every command returns a
 * {@link dev.surge.common.cli.ExitCode}.
 */
@Command(
    name = "surge-loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Open-model load generator that tells the truth about latency and drives HPA scaling.",
    subcommands = {
      RunCommand.class,
      MergeCommand.class,
      CalibrateCommand.class,
      PlanCommand.class,
      SimulateCommand.class,
      ReportCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SurgeLoadgen implements Runnable {
  /** Every option {@code --some-flag} falls back to {@code SURGE_LOADGEN_SOME_FLAG}. */
  public static final String ENV_PREFIX = "SURGE_LOADGEN_";

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
        "Missing command: run, merge, calibrate, plan, simulate, report or doctor");
  }

  /**
   * Builds the command line with the exit codes and the error handling that every command shares
   * ({@link Cli#configure}).
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
    return Cli.configure(new CommandLine(root), ENV_PREFIX, root.env, out, err);
  }
}
