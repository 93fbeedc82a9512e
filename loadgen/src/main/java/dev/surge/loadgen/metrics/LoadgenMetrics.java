package dev.surge.loadgen.metrics;

import dev.surge.loadgen.record.Interval;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The loadgen's own Prometheus metrics (names in docs/CONTRACT.md): requests by outcome, the
 * corrected latency histogram with the app's classic buckets, target and achieved rate, in-flight.
 * Fed once per interval from the recorder's snapshot — never from the request hot path — and served
 * on {@code --metrics-port} when one is given.
 *
 * <pre>{@code
 * try (LoadgenMetrics m = LoadgenMetrics.create(8082)) { // -1: registry only, no server
 *   m.update(interval, targetRate);
 * }
 * }</pre>
 */
public final class LoadgenMetrics implements AutoCloseable {
  /** The app's classic buckets, so loadgen and app latency can be compared bucket by bucket. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CounterDataPoint ok;
  private final CounterDataPoint error;
  private final CounterDataPoint dropped;
  private final IntervalHistogram latency;
  private final Gauge targetRate;
  private final Gauge achievedRate;
  private final Gauge inFlight;
  private final HTTPServer server;

  private LoadgenMetrics(int port, com.sun.net.httpserver.HttpHandler otherPaths) {
    Counter requests =
        Counter.builder()
            .name("surge_loadgen_requests_total")
            .help(
                "Requests by outcome: ok (status < 400), error (transport failure or 4xx/5xx), dropped (not sent)")
            .labelNames("outcome")
            .register(registry);
    ok = requests.labelValues("ok");
    error = requests.labelValues("error");
    dropped = requests.labelValues("dropped");
    latency =
        new IntervalHistogram(
            "surge_loadgen_latency_seconds",
            "Latency corrected for coordinated omission: from the intended send time to the response",
            BUCKETS,
            1e-6);
    registry.register(latency);
    targetRate =
        Gauge.builder()
            .name("surge_loadgen_target_rate")
            .help("Requests per second the profile asks for now")
            .register(registry);
    achievedRate =
        Gauge.builder()
            .name("surge_loadgen_achieved_rate")
            .help("Responses per second completed in the last interval")
            .register(registry);
    inFlight =
        Gauge.builder()
            .name("surge_loadgen_in_flight")
            .help("Requests in flight")
            .register(registry);
    if (port >= 0) {
      try {
        HTTPServer.Builder b = HTTPServer.builder().port(port).registry(registry);
        if (otherPaths != null) {
          b.defaultHandler(otherPaths);
        }
        server = b.buildAndStart();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot serve metrics on port " + port + ": " + e.getMessage(), e);
      }
    } else {
      server = null;
    }
  }

  /**
   * Creates the metrics and, for {@code port >= 0}, serves them on that port (0: any free port).
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static LoadgenMetrics create(int port) {
    return new LoadgenMetrics(port, null);
  }

  /**
   * {@link #create(int)}, with {@code otherPaths} answering every path of the server other than
   * {@code /metrics} (a distributed run's coordinator endpoints share the metrics port).
   */
  public static LoadgenMetrics create(int port, com.sun.net.httpserver.HttpHandler otherPaths) {
    return new LoadgenMetrics(port, otherPaths);
  }

  /**
   * Adds one interval: counters, histogram (each recorded latency value with its count), gauges.
   */
  public void update(Interval i, double target) {
    ok.inc(i.ok());
    error.inc(i.errors());
    dropped.inc(i.dropped());
    latency.add(i.corrected());
    targetRate.set(target);
    double len = i.lengthSeconds();
    achievedRate.set(len > 0 ? i.completed() / len : 0);
    inFlight.set(i.inFlight());
  }

  /** The registry, for pushing and tests. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The bound port, or -1 when not serving. */
  public int port() {
    return server == null ? -1 : server.getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
