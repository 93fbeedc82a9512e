package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code merge} command; replaced by its implementation. */
@Command(name = "merge", description = "(not yet implemented)")
public final class MergeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("merge is not implemented yet");
  }
}
