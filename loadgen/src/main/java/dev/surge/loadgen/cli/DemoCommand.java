package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code demo} command; replaced by its implementation. */
@Command(name = "demo", description = "(not yet implemented)")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("demo is not implemented yet");
  }
}
