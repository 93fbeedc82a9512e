package dev.surge.app.http;

/**
 * One route's behaviour. It answers through {@code exchange} (now, or later from another thread for
 * async endpoints such as {@code /delay}); it throws {@link HttpProblem} to refuse the request.
 */
@FunctionalInterface
public interface Endpoint {
  void handle(Exchange exchange) throws Exception;
}
