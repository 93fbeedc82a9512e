package dev.surge.loadgen;

import dev.surge.loadgen.cli.SurgeLoadgen;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the surge load generator: {@code java -jar surge-loadgen.jar <command> ...}.
 *
 * <p>Exit codes ({@link dev.surge.common.cli.ExitCode}): 0 ok, 1 thresholds failed or run aborted,
 * 2 usage error, 70 a bug (with its stack trace).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the CLI in-process and returns its exit code; never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System.getenv());
  }

  /**
   * {@link #run(String[], PrintStream, PrintStream)} with the given environment instead of the
   * process's.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine cli = SurgeLoadgen.commandLine(outWriter, errWriter, env, args);
    int code = cli.execute(args);
    outWriter.flush();
    errWriter.flush();
    return code;
  }
}
