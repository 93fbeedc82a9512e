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
  private volatile LoadgenMetrics borrowed;

  MetricsPart(int port) {
    this.port = port;
  }

  /**
   * Uses {@code shared} instead of creating metrics on start; its owner closes it, not this part.
   * Call before start.
   */
  void borrow(LoadgenMetrics shared) {
    this.borrowed = shared;
  }

  @Override
  protected void doStart() {
    if (borrowed != null) {
      metrics = borrowed;
      return;
    }
    try {
      metrics = LoadgenMetrics.create(port);
    } catch (UncheckedIOException e) {
      // A port the user chose is taken or not allowed: their input, not a bug.
      throw new UsageException("--metrics-port " + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void doStop() {
    if (metrics != borrowed) {
      metrics.close();
    }
  }

  /** The metrics; only once started. */
  LoadgenMetrics metrics() {
    return metrics;
  }
}
