package dev.surge.loadgen.cli;

import dev.surge.common.cli.Cli;
import dev.surge.common.cli.VersionProvider;
import dev.surge.loadgen.doctor.DoctorCommand;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        "Open-model load generator that tells the truth about latency and drives HPA scaling.")
public final class SurgeLoadgen implements Runnable {
  /**
   * The subcommands, in the order the help lists them. They are added to the command line by {@link
   * #commandLine(PrintWriter, PrintWriter, Map, String[])}, not declared on the annotation, so that
   * a run builds the model of its own command only: picocli reads every option of every declared
   * subcommand up front, which is a tenth of a second of CPU at the start of every run.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("run", RunCommand::new);
    m.put("merge", MergeCommand::new);
    m.put("calibrate", CalibrateCommand::new);
    m.put("plan", PlanCommand::new);
    m.put("simulate", SimulateCommand::new);
    m.put("report", ReportCommand::new);
    m.put("doctor", DoctorCommand::new);
    m.put("help", CommandLine.HelpCommand::new);
    return Collections.unmodifiableMap(m);
  }

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
    return commandLine(out, err, env, new String[0]);
  }

  /**
   * {@link #commandLine(PrintWriter, PrintWriter, Map)} for these arguments: when the first one
   * names a subcommand, only that subcommand is added (its parsing, help and errors are the same);
   * otherwise (no argument, {@code --help}, {@code help run}, a typo) every subcommand is, so the
   * root's help and its "did you mean" list are complete.
   */
  public static CommandLine commandLine(
      PrintWriter out, PrintWriter err, Map<String, String> env, String[] args) {
    SurgeLoadgen root = new SurgeLoadgen();
    root.env = Map.copyOf(env);
    CommandLine cli = new CommandLine(root);
    String first = args.length > 0 ? args[0] : "";
    if (SUBCOMMANDS.containsKey(first) && !"help".equals(first)) {
      cli.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    return Cli.configure(cli, ENV_PREFIX, root.env, out, err);
  }
}
