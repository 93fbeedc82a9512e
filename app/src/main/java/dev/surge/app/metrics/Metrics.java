package dev.surge.app.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.DoubleSupplier;

/**
 * Registers every custom metric of the app once, in the registry it is given (so tests and an
 * in-process demo each use their own), and hands out cached data points so the request path does no
 * label lookups or allocation.
 *
 * <pre>{@code
 * Metrics metrics = new Metrics(registry, "0.1.0", state);
 * Metrics.Requests requests = metrics.requests(router.templates());
 * requests.get(routeIndex, methodIndex, 200).observe(0.012);
 * }</pre>
 */
public final class Metrics {
  /** Classic buckets; 0.1, 0.2 and 0.5 s are the SLO thresholds the alerts and dashboards use. */
  private static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** The {@code method} label values, in index order; anything else is {@code OTHER}. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER");

  private static final int MIN_STATUS = 100;
  private static final int STATUSES = 500; // 100..599

  /**
   * Readings of the app's state, exposed as callback gauges so there is no second copy to keep in
   * step.
   */
  public record State(
      DoubleSupplier cpuBurnMillicores,
      DoubleSupplier memoryBurnBytes,
      DoubleSupplier faultErrorRatio,
      DoubleSupplier faultAddedLatencySeconds,
      DoubleSupplier ready) {}

  private final Counter requests;
  private final Histogram duration;
  private final Gauge inFlight;
  private final CounterDataPoint workUnits;
  private final WindowedSummary workCpuSeconds;

  /**
   * @param registry where every metric is registered
   * @param version the {@code version} label of {@code surge_app_info}
   * @param state the readings behind the state gauges
   */
  public Metrics(PrometheusRegistry registry, String version, State state) {
    requests =
        Counter.builder()
            .name("surge_http_requests_total")
            .help("HTTP requests served, by method, route template and status.")
            .labelNames("method", "route", "status")
            .withoutExemplars() // no tracer here; skipping the sampler keeps the request path short
            .register(registry);
    duration =
        Histogram.builder()
            .name("surge_http_request_duration_seconds")
            .help("HTTP request duration in seconds, by method, route template and status.")
            .labelNames("method", "route", "status")
            .classicUpperBounds(DURATION_BUCKETS)
            .withoutExemplars()
            .register(registry);
    inFlight =
        Gauge.builder()
            .name("surge_http_requests_in_flight")
            .help("HTTP requests being served now.")
            .register(registry);
    workUnits =
        Counter.builder()
            .name("surge_work_units_total")
            .help("Units of work done: one per /api/work request that burned its CPU time.")
            .withoutExemplars()
            .register(registry);
    workCpuSeconds =
        new WindowedSummary(
            "surge_work_cpu_seconds",
            "CPU time burned per /api/work request in seconds, quantiles over the last 2 minutes. The quantiles are"
                + " this pod's own and cannot be aggregated across pods; aggregate _sum and _count instead.",
            List.of(0.5, 0.9, 0.95, 0.99),
            Duration.ofMinutes(2),
            5);
    registry.register(workCpuSeconds);
    gauge(
        registry,
        "surge_burn_cpu_millicores",
        "CPU millicores burning from POST /admin/cpu.",
        state.cpuBurnMillicores());
    gauge(
        registry,
        "surge_burn_memory_bytes",
        "Heap bytes held by POST /admin/memory.",
        state.memoryBurnBytes());
    gauge(
        registry,
        "surge_fault_error_ratio",
        "Injected error ratio on /api/* (0..1).",
        state.faultErrorRatio());
    gauge(
        registry,
        "surge_fault_added_latency_seconds",
        "Latency added to /api/* responses in seconds.",
        state.faultAddedLatencySeconds());
    gauge(
        registry,
        "surge_ready",
        "1 when the app is ready for traffic (what /readyz says), else 0.",
        state.ready());
    Info info =
        Info.builder()
            .name("surge_app_info")
            .help("Build information of the surge app.")
            .labelNames("version")
            .register(registry);
    info.setLabelValues(version);
  }

  private static void gauge(
      PrometheusRegistry registry, String name, String help, DoubleSupplier reading) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(reading.getAsDouble()))
        .register(registry);
  }

  /**
   * The request data points for a fixed list of route label values (the router's templates, in
   * index order), created on first use and cached.
   */
  public Requests requests(List<String> routes) {
    return new Requests(routes);
  }

  public void requestStarted() {
    inFlight.inc();
  }

  public void requestFinished() {
    inFlight.dec();
  }

  /** Records one finished {@code /api/work} request that used {@code cpuNanos} of CPU time. */
  public void workDone(long cpuNanos) {
    workUnits.inc();
    workCpuSeconds.observeNanos(cpuNanos);
  }

  /** Request data points by (route index, method index, status), each created once. */
  public final class Requests {
    private final List<String> routes;
    private final AtomicReferenceArray<RequestDataPoints> cache;

    private Requests(List<String> routes) {
      this.routes = List.copyOf(routes);
      this.cache = new AtomicReferenceArray<>(routes.size() * METHODS.size() * STATUSES);
    }

    /** The counter and histogram data points of one (route, method, status). */
    public RequestDataPoints get(int routeIndex, int methodIndex, int status) {
      int statusIndex =
          Math.min(Math.max(status, MIN_STATUS), MIN_STATUS + STATUSES - 1) - MIN_STATUS;
      int slot = (routeIndex * METHODS.size() + methodIndex) * STATUSES + statusIndex;
      RequestDataPoints points = cache.get(slot);
      if (points == null) {
        // Racing threads may both build one; labelValues returns the same data points, so either
        // copy is right.
        String[] labels = {
          METHODS.get(methodIndex),
          routes.get(routeIndex),
          Integer.toString(statusIndex + MIN_STATUS)
        };
        points = new RequestDataPoints(requests.labelValues(labels), duration.labelValues(labels));
        cache.set(slot, points);
      }
      return points;
    }
  }

  /** The data points of one (route, method, status). */
  public static final class RequestDataPoints {
    private final CounterDataPoint count;
    private final DistributionDataPoint seconds;

    RequestDataPoints(CounterDataPoint count, DistributionDataPoint seconds) {
      this.count = count;
      this.seconds = seconds;
    }

    public void observe(double durationSeconds) {
      count.inc();
      seconds.observe(durationSeconds);
    }
  }
}
