package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code calibrate} command; replaced by its implementation. */
@Command(name = "calibrate", description = "(not yet implemented)")
public final class CalibrateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("calibrate is not implemented yet");
  }
}
