package dev.surge.lab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code demo}: the README's first command, {@code run} with a short built-in profile, {@code
 * --fast} timing and {@code --max-connection-age 5s}; any {@code run} flag given after it wins.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The README demo: run --fast --profile '"
          + LabDemoCommand.PROFILE
          + "' --max-connection-age "
          + LabDemoCommand.MAX_CONNECTION_AGE
          + " --report lab-report.html --out lab-result.json",
      "Any run flag may follow and overrides these (see run --help)."
    })
public final class LabDemoCommand implements Callable<Integer> {
  /** Ramp to a rate that needs about four pods, hold it, then idle long enough to scale back in. */
  static final String PROFILE = "ramp:0->30/15s,hold:30/40s,hold:3/50s";

  static final String MAX_CONNECTION_AGE = "5s";

  @Spec CommandLine.Model.CommandSpec spec;

  @Unmatched List<String> extra = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--fast",
                "--profile",
                PROFILE,
                "--max-connection-age",
                MAX_CONNECTION_AGE,
                "--report",
                "lab-report.html",
                "--out",
                "lab-result.json"));
    args.addAll(extra);
    CommandLine root = spec.commandLine().getParent();
    CommandLine run = root.getSubcommands().get("run");
    run.setOverwrittenOptionsAllowed(true);
    return root.execute(args.toArray(new String[0]));
  }
}
