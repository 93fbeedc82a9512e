package dev.surge.loadgen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for the {@code report} command; replaced by its implementation. */
@Command(name = "report", description = "(not yet implemented)")
public final class ReportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalStateException("report is not implemented yet");
  }
}
