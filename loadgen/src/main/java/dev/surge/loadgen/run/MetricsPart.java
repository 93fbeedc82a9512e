package dev.surge.loadgen.run;

import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import java.io.UncheckedIOException;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The run's Prometheus metrics as a part of the {@link LoadRun}: created (and served, for a port
 * {@code >= 0}) on start, the server closed on stop. The registry stays readable after the stop,
 * for the final push.
 */
final class MetricsPart extends AbstractLifeCycle {
  private final int port;
  private volatile LoadgenMetrics metrics;

  MetricsPart(int port) {
    this.port = port;
  }

  @Override
  protected void doStart() {
    try {
      metrics = LoadgenMetrics.create(port);
    } catch (UncheckedIOException e) {
      // A port the user chose is taken or not allowed: their input, not a bug.
      throw new UsageException("--metrics-port " + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void doStop() {
    metrics.close();
  }

  /** The metrics; only once started. */
  LoadgenMetrics metrics() {
    return metrics;
  }
}
