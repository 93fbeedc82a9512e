package dev.surge.app.endpoints;

import dev.surge.app.Lifecycle;
import dev.surge.app.fault.Faults;
import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;
import dev.surge.app.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code /healthz} (liveness: the process answers) and {@code /readyz} (readiness: started, not
 * draining, not forced off). Both report the real state whatever the {@code /api/*} faults are.
 */
public final class ProbeEndpoints {
  private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8);

  private final Lifecycle lifecycle;
  private final Faults faults;

  public ProbeEndpoints(Lifecycle lifecycle, Faults faults) {
    this.lifecycle = lifecycle;
    this.faults = faults;
  }

  /** Whether the app should get traffic: what {@code /readyz} and {@code surge_ready} say. */
  public boolean isReady() {
    return lifecycle.isReady() && faults.settings().ready();
  }

  public Endpoint healthz() {
    return exchange -> exchange.sendJson(200, OK);
  }

  public Endpoint readyz() {
    return this::readyz;
  }

  private void readyz(Exchange exchange) {
    if (isReady()) {
      exchange.sendJson(200, READY);
      return;
    }
    String why =
        lifecycle.state() == Lifecycle.State.READY
            ? "readiness is forced off (PUT /admin/faults {\"ready\":true} turns it on)"
            : "the app is " + lifecycle.state().name().toLowerCase(Locale.ROOT);
    exchange.send(503, Json.error("not ready", why));
  }
}
