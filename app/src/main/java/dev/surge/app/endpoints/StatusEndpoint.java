package dev.surge.app.endpoints;

import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;
import dev.surge.app.http.Json;
import dev.surge.app.http.Params;

/**
 * {@code GET /status/{code}}: answers with that status (100..599); 4xx/5xx carry the usual JSON
 * error body. HTTP allows a 1xx only as an interim response before a final one, so a 1xx code is
 * sent as an interim response where Jetty can send one, followed by a final 200 that names it.
 */
public final class StatusEndpoint implements Endpoint {
  @Override
  public void handle(Exchange exchange) {
    int code = (int) Params.integer("code", exchange.pathParam(), 100, 599);
    if (code < 200) {
      exchange.sendInterimThenOk(code, new Status(200, code));
    } else if (code >= 400) {
      exchange.send(
          code, Json.error("requested status", "GET /status/" + code + " asked for this status"));
    } else {
      exchange.send(code, new Status(code, null));
    }
  }

  /**
   * The body of a non-error status.
   *
   * @param status the final status
   * @param interimStatus the 1xx sent before it, or null
   */
  public record Status(int status, Integer interimStatus) {}
}
