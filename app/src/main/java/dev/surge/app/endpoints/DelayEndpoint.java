package dev.surge.app.endpoints;

import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;
import dev.surge.app.http.Params;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /delay/{millis}}: answers after {@code millis} without holding a thread while it
 * waits: the response is completed from Jetty's scheduler, so thousands of slow requests cost no
 * threads.
 */
public final class DelayEndpoint implements Endpoint {
  private final int maxDelayMillis;

  public DelayEndpoint(int maxDelayMillis) {
    this.maxDelayMillis = maxDelayMillis;
  }

  @Override
  public void handle(Exchange exchange) {
    long millis = Params.integer("millis", exchange.pathParam(), 0, maxDelayMillis);
    Delayed body = new Delayed(millis);
    if (millis == 0) {
      exchange.send(200, body);
      return;
    }
    exchange.scheduler().schedule(() -> exchange.send(200, body), millis, TimeUnit.MILLISECONDS);
  }

  /** The response body. */
  public record Delayed(long delayMillis) {}
}
