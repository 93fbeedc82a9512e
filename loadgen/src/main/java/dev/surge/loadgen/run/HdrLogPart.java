package dev.surge.loadgen.run;

import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.output.HdrLog;
import dev.surge.loadgen.record.Interval;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The {@code --hdr-log} file as a part of the {@link LoadRun}: opened on start with the run's start
 * time as its base time, closed on stop — on every path, so no file handle outlives the run.
 */
final class HdrLogPart extends AbstractLifeCycle {
  private final Path path;
  private final LongSupplier startEpochMillis;
  private volatile HdrLog log;

  /**
   * @param startEpochMillis read at start: the run's wall-clock start
   */
  HdrLogPart(Path path, LongSupplier startEpochMillis) {
    this.path = path;
    this.startEpochMillis = startEpochMillis;
  }

  @Override
  protected void doStart() {
    long start = startEpochMillis.getAsLong();
    log = UsageException.fromInvalid("--hdr-log", () -> new HdrLog(path, start));
  }

  @Override
  protected void doStop() {
    log.close();
  }

  /** Appends one interval; only between start and stop. */
  void append(Interval i) {
    log.append(i);
  }
}
