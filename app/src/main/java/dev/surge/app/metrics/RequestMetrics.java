package dev.surge.app.metrics;

import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the request path records for each request: in flight while it runs, then its count and
 * duration by route, method and status. {@link #OFF} ({@code --metrics=false}) records nothing and
 * costs nothing: it hands back the request's own callback, so no clock is read and nothing is
 * allocated.
 *
 * <pre>{@code
 * RequestMetrics metrics = enabled ? registryMetrics.requests(router.templates()) : RequestMetrics.OFF;
 * Callback done = metrics.track(callback, response, routeIndex, methodIndex);
 * }</pre>
 *
 * <p>Implementations are called from any request thread at once and must be thread-safe.
 */
@FunctionalInterface
public interface RequestMetrics {
  /** Records nothing. */
  RequestMetrics OFF = (callback, response, routeIndex, methodIndex) -> callback;

  /**
   * Counts the request in flight from now, and returns the callback to complete it with, which
   * records its count and duration with the response's status however it completes.
   *
   * @param methodIndex index into {@link Metrics#METHODS}
   */
  Callback track(Callback callback, Response response, int routeIndex, int methodIndex);
}
