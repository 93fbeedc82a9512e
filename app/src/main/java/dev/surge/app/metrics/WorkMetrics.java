package dev.surge.app.metrics;

/**
 * What {@code /api/work} records: a work unit and the CPU time it used. {@link #OFF} ({@code
 * --metrics=false}) records nothing. Thread-safe.
 */
@FunctionalInterface
public interface WorkMetrics {
  /** Records nothing. */
  WorkMetrics OFF = cpuNanos -> {};

  /** One finished {@code /api/work} request that used {@code cpuNanos} of CPU time. */
  void workDone(long cpuNanos);
}
