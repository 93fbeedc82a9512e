package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code simulate} command; replaced by its implementation. */
@Command(name = "simulate", description = "(not yet implemented)")
public final class SimulateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("simulate is not implemented yet");
  }
}
