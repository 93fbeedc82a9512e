package dev.surge.app.fault;

/**
 * One consistent set of fault settings; replaced as a whole so a request never sees half an update.
 *
 * @param errorRate share of {@code /api/*} requests answered with an injected 500, 0..1
 * @param addedLatencyMillis latency added to {@code /api/*} responses
 * @param ready whether readiness is on (false forces {@code /readyz} to 503)
 */
public record FaultSettings(double errorRate, long addedLatencyMillis, boolean ready) {
  public FaultSettings {
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("errorRate must be from 0 to 1, got " + errorRate);
    }
    if (addedLatencyMillis < 0) {
      throw new IllegalArgumentException(
          "addedLatencyMillis must not be negative, got " + addedLatencyMillis);
    }
  }
}
