package dev.surge.app.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.fault.Faults;
import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;
import dev.surge.app.http.HttpProblem;
import dev.surge.app.http.Params;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code GET /admin/faults} shows the fault settings; {@code PUT /admin/faults} changes any subset
 * of {@code {"errorRate": 0..1, "addedLatencyMillis": N, "ready": bool}} and answers with the
 * result.
 */
public final class FaultsEndpoint {
  private static final Set<String> FIELDS = Set.of("errorRate", "addedLatencyMillis", "ready");

  private final Faults faults;
  private final int maxDelayMillis;

  public FaultsEndpoint(Faults faults, int maxDelayMillis) {
    this.faults = faults;
    this.maxDelayMillis = maxDelayMillis;
  }

  public Endpoint get() {
    return exchange -> exchange.send(200, faults.settings());
  }

  public Endpoint put() {
    return this::put;
  }

  private void put(Exchange exchange) throws Exception {
    JsonNode body = exchange.readJsonObject();
    // Synchronized so two concurrent partial updates both land instead of one overwriting the
    // other.
    synchronized (faults) {
      faults.set(merge(faults.settings(), body, maxDelayMillis));
    }
    exchange.send(200, faults.settings());
  }

  /**
   * Applies the fields present in {@code body} to {@code current}.
   *
   * @throws HttpProblem 400 naming the field for an unknown field or a bad value
   */
  static FaultSettings merge(FaultSettings current, JsonNode body, int maxDelayMillis) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw HttpProblem.badRequest(
            "bad field",
            "unknown field '" + name + "'; expected errorRate, addedLatencyMillis or ready");
      }
    }
    double errorRate = current.errorRate();
    JsonNode rate = body.get("errorRate");
    if (rate != null) {
      if (!rate.isNumber() || !(rate.asDouble() >= 0.0 && rate.asDouble() <= 1.0)) {
        throw HttpProblem.badRequest(
            "bad field", "errorRate must be a number from 0 to 1, got " + rate);
      }
      errorRate = rate.asDouble();
    }
    long latency =
        Params.integer(body, "addedLatencyMillis", 0, maxDelayMillis, current.addedLatencyMillis());
    boolean ready = current.ready();
    JsonNode readyNode = body.get("ready");
    if (readyNode != null) {
      if (!readyNode.isBoolean()) {
        throw HttpProblem.badRequest("bad field", "ready must be true or false, got " + readyNode);
      }
      ready = readyNode.asBoolean();
    }
    return new FaultSettings(errorRate, latency, ready);
  }
}
