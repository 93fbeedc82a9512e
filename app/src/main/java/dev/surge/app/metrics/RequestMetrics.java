package dev.surge.app.metrics;

/**
 * What the request path records for each finished request: its count and duration by route, method
 * and status. {@link #OFF} ({@code --metrics=false}) records nothing and costs nothing: the request
 * path checks for it and then completes the request with Jetty's own callback, so no clock is read,
 * nothing is allocated and no call is made.
 *
 * <pre>{@code
 * RequestMetrics metrics = enabled ? registryMetrics.requests(router.templates()) : RequestMetrics.OFF;
 * // when the response has completed:
 * metrics.record(routeIndex, methodIndex, response.getStatus(), request.getBeginNanoTime());
 * }</pre>
 *
 * <p>Implementations are called from any request thread at once and must be thread-safe.
 */
@FunctionalInterface
public interface RequestMetrics {
  /** Records nothing. */
  RequestMetrics OFF = (routeIndex, methodIndex, status, startNanos) -> {};

  /**
   * Records one finished request: its count and the time from {@code startNanos} ({@link
   * System#nanoTime()}) to now.
   *
   * @param methodIndex index into {@link Metrics#METHODS}
   * @param status the response's final status
   */
  void record(int routeIndex, int methodIndex, int status, long startNanos);
}
