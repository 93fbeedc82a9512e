package dev.surge.app.endpoints;

import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;

/** {@code GET /}: name, version, instance and uptime, so a client can see what answered. */
public final class InfoEndpoint implements Endpoint {
  private final String version;
  private final String instance;
  private final long startNanos;

  public InfoEndpoint(String version, String instance, long startNanos) {
    this.version = version;
    this.instance = instance;
    this.startNanos = startNanos;
  }

  @Override
  public void handle(Exchange exchange) {
    double uptime = (System.nanoTime() - startNanos) / 1e9;
    exchange.send(200, new Info("surge", version, instance, Math.round(uptime * 1000) / 1000.0));
  }

  /** The response body. */
  public record Info(String name, String version, String instance, double uptimeSeconds) {}
}
