package dev.surge.common.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Wires a picocli {@link CommandLine} with the conventions every surge program shares: options fall
 * back to the environment ({@link EnvDefaults}); a parse error or a {@link UsageException} prints
 * one line naming the flag and exits {@link ExitCode#USAGE}; any other exception is a bug: its
 * stack trace is printed and the exit code is {@link ExitCode#SOFTWARE}.
 *
 * <pre>{@code
 * int code = Cli.configure(new CommandLine(new Root()), "SURGE_LOADGEN_", env, out, err).execute(args);
 * }</pre>
 */
public final class Cli {
  private Cli() {}

  public static CommandLine configure(
      CommandLine cli,
      String envPrefix,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err) {
    cli.setDefaultValueProvider(new EnvDefaults(envPrefix, env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("error: " + message(ex, args));
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
          c.getErr().flush();
          return ExitCode.USAGE.code();
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          PrintWriter e = c.getErr();
          if (ex instanceof UsageException) {
            e.println("error: " + ex.getMessage());
            e.flush();
            return ExitCode.USAGE.code();
          }
          e.println("error: unexpected " + ex.getClass().getName() + ": " + ex.getMessage());
          e.println("This is a bug in surge; please report it with the trace below.");
          ex.printStackTrace(e);
          e.flush();
          return ExitCode.SOFTWARE.code();
        });
    cli.setExitCodeExceptionMapper(
        t -> t instanceof UsageException ? ExitCode.USAGE.code() : ExitCode.SOFTWARE.code());
    return cli;
  }

  /**
   * The one line a parse error prints: picocli's message (naming the option and the value),
   * prefixed with the environment variable when the bad value came from one ({@link
   * EnvDefaults#naming}): {@code SURGE_PORT=abc: Invalid value for option '--port': ...}.
   */
  public static String message(CommandLine.ParameterException ex, String[] args) {
    CommandLine c = ex.getCommandLine();
    if (ex.getArgSpec() instanceof OptionSpec option
        && c != null
        && c.getDefaultValueProvider() instanceof EnvDefaults env) {
      return env.naming(option, given(option, args), ex.getMessage());
    }
    return ex.getMessage();
  }

  /**
   * Whether {@code args} give {@code option} ({@code --port 1} or {@code --port=1}). Picocli's
   * parse result cannot say while the parse is failing on that very option.
   */
  public static boolean given(OptionSpec option, String[] args) {
    for (String a : args) {
      for (String name : option.names()) {
        if (a.equals(name) || a.startsWith(name + "=")) {
          return true;
        }
      }
    }
    return false;
  }
}
