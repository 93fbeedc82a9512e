package dev.surge.lab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code demo}: the README's first command, {@code run} with a short built-in profile, {@code
 * --fast} timing and {@code --max-connection-age 5s}; any {@code run} flag given after it wins.
 * {@code demo --story} runs the whole day instead (the preset LabStoryIT proves): the {@code
 * overlays/keda-zero} ScaledObject on requests/s through the lab's Prometheus, scaling from zero to
 * N and back to zero, Alertmanager with the shipped routing, an error burst that pages and
 * resolves, a crash-looping pod, and the cost line, in about 4 minutes.
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

  /**
   * The story's load: a plateau that needs three pods or more on requests/s, a trickle that keeps
   * KEDA active while the HPA scales in to one pod, then nothing, so KEDA scales to zero.
   */
  static final String STORY_PROFILE = "ramp:0->150/10s,hold:150/70s,hold:3/65s,pause:70s";

  /**
   * The story's faults: three kills of one pod's container between its back-offs (10 s, 20 s), so
   * it crash-loops (its third restart, at about 94 s, comes before the scale-in), and an error
   * burst at 40 s, when the pods KEDA and the HPA started serve (the fast-burn alert pages, then
   * resolves).
   */
  static final List<String> STORY_FAULTS =
      List.of("20s:pod-kill", "32s:pod-kill", "40s:error-rate=0.5/10s", "54s:pod-kill");

  @Option(
      names = "--story",
      description =
          "Run the whole day instead: KEDA on requests/s (k8s/overlays/keda-zero) through the"
              + " lab's Prometheus, from zero to N and back to zero, --alertmanager, an error burst,"
              + " a crash loop, the cost (about 4 min).")
  boolean story;

  @Spec CommandLine.Model.CommandSpec spec;

  @Unmatched List<String> extra = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = story ? storyArgs() : demoArgs();
    args.addAll(extra);
    CommandLine root = spec.commandLine().getParent();
    CommandLine run = root.getSubcommands().get("run");
    run.setOverwrittenOptionsAllowed(true);
    return root.execute(args.toArray(new String[0]));
  }

  private static List<String> storyArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--fast",
                "--hpa",
                RepoLayout.root().resolve("k8s/overlays/keda-zero").toString(),
                "--alertmanager",
                "--cpu-request",
                "1000m",
                "--replica-cap",
                "4",
                "--path",
                "/api/work?cpuMillis=1",
                "--profile",
                STORY_PROFILE,
                "--max-connection-age",
                "1s",
                "--report",
                "lab-story-report.html",
                "--out",
                "lab-story-result.json"));
    for (String fault : STORY_FAULTS) {
      args.add("--fault");
      args.add(fault);
    }
    return args;
  }

  private static List<String> demoArgs() {
    return new ArrayList<>(
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
  }
}
