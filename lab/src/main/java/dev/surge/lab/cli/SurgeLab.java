package dev.surge.lab.cli;

import dev.surge.common.cli.Cli;
import dev.surge.common.cli.VersionProvider;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code surge-lab} command: {@code run} and {@code demo}. */
@Command(
    name = "surge-lab",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "The HPA loop on one machine: real app processes as pods, a Service-like balancer, CPU"
            + " metrics, the HPA model as controller, and the loadgen's run engine as the load.",
    subcommands = {
      LabRunCommand.class,
      LabDemoCommand.class,
      LabServiceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SurgeLab implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run or demo");
  }

  /** The command line with the shared surge conventions (env fallback {@code SURGE_LAB_*}). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    return Cli.configure(new CommandLine(new SurgeLab()), "SURGE_LAB_", env, out, err);
  }
}
