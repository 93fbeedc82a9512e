package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code plan} command; replaced by its implementation. */
@Command(name = "plan", description = "(not yet implemented)")
public final class PlanCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("plan is not implemented yet");
  }
}
