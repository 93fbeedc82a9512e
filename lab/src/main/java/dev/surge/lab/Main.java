package dev.surge.lab;

import dev.surge.lab.cli.SurgeLab;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code java -jar surge-lab.jar}: a thin main around {@link SurgeLab}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs the CLI and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    int code = SurgeLab.commandLine(o, e, env).execute(args);
    o.flush();
    e.flush();
    return code;
  }
}
