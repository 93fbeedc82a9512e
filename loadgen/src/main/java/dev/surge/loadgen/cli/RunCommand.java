package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code run} command; replaced by its implementation. */
@Command(name = "run", description = "(not yet implemented)")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("run is not implemented yet");
  }
}
