package dev.surge.app.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.DoubleSupplier;

/**
 * Registers every custom metric of the app once, in the registry it is given (so each test uses its
 * own), and hands out cached data points so the request path does no label lookups or allocation.
 *
 * <pre>{@code
 * Metrics metrics = new Metrics(registry, "0.1.0", state);
 * Metrics.Requests requests = metrics.requests(router.templates());
 * requests.get(routeIndex, methodIndex, 200).observeNanos(12_000_000);
 * }</pre>
 *
 * <p>The request counter and histogram are accumulated by {@link RequestSeries} (striped cells,
 * three atomic adds per request) and written by client_java at scrape time with the names, labels,
 * buckets and help they always had; the other metrics are client_java's own.
 *
 * <p>Thread-safe: every method may be called from any request thread; the request data points are
 * lock-free ({@link RequestSeries}), the work summary takes one of its stripes' locks for a
 * histogram write ({@link WindowedSummary}) and the caches are described on {@link Requests}. The
 * state gauges call their {@link State} suppliers on the scrape thread, so those must be safe to
 * call from it.
 */
public final class Metrics implements WorkMetrics {
  /** Classic buckets; 0.1, 0.2 and 0.5 s are the SLO thresholds the alerts and dashboards use. */
  static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** The {@code method} label values, in index order; anything else is {@code OTHER}. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER");

  /** Index of {@code OTHER} in {@link #METHODS}. */
  public static final int OTHER_METHOD = 7;

  /**
   * Most series this app's own metrics may expose on one pod (JVM and process metrics aside),
   * whatever clients send.
   */
  public static final int SERIES_CEILING = 1000;

  /** Series of one histogram label set: the classic buckets, {@code +Inf}, count and sum. */
  static final int SERIES_PER_HISTOGRAM = 15;

  /**
   * Budget for every series that is not a request counter or histogram (gauges, info, work summary,
   * admin auth): {@code MetricsTest} checks the real count stays below it.
   */
  static final int OTHER_SERIES = 32;

  /**
   * Readings of the app's state, exposed as callback gauges so there is no second copy to keep in
   * step.
   *
   * @param requestsInFlight requests being served now: the app reads Jetty's own count (its {@code
   *     GracefulHandler}, which counts every request from dispatch to completion for the graceful
   *     stop), so the gauge costs the request path nothing
   */
  public record State(
      DoubleSupplier cpuBurnMillicores,
      DoubleSupplier memoryBurnBytes,
      DoubleSupplier faultErrorRatio,
      DoubleSupplier faultAddedLatencySeconds,
      DoubleSupplier ready,
      DoubleSupplier requestsInFlight) {}

  private final RequestSeries requestSeries;
  private final EnumMap<AdminAuthOutcome, CounterDataPoint> adminAuth =
      new EnumMap<>(AdminAuthOutcome.class);
  private final WindowedSummary workCpuSeconds;

  /**
   * @param registry where every metric is registered
   * @param version the {@code version} label of {@code surge_app_info}
   * @param state the readings behind the state gauges
   */
  public Metrics(PrometheusRegistry registry, String version, State state) {
    // surge_http_requests_total and surge_http_request_duration_seconds. The histogram is classic
    // only, as the loadgen's: the SLI, the p95 rule and the latency alerts read _bucket, and a
    // Prometheus that ingests native histograms keeps only the native form of a histogram that
    // exposes both (issue 18, defect 3). No exemplars (no tracer here).
    requestSeries =
        new RequestSeries(
            REQUESTS_HELP,
            DURATION_HELP,
            DURATION_BUCKETS,
            SERIES_CEILING,
            SERIES_CEILING / SERIES_PER_HISTOGRAM);
    registry.register(requestSeries);
    gauge(
        registry,
        "surge_http_requests_in_flight",
        "HTTP requests being served now.",
        state.requestsInFlight());
    workCpuSeconds =
        new WindowedSummary(
            "surge_work_cpu_seconds",
            "CPU time burned per /api/work request in seconds, quantiles over the last 2 minutes. The quantiles are"
                + " this pod's own and cannot be aggregated across pods; aggregate _sum and _count instead.",
            List.of(0.5, 0.9, 0.95, 0.99),
            Duration.ofMinutes(2),
            5);
    // One unit per observation of the summary: the counter is the summary's own count, so a
    // finished /api/work request is one observation (one stripe lock), not also a LongAdder.
    registry.register(new WorkUnits(WORK_UNITS_HELP, workCpuSeconds, System.currentTimeMillis()));
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
    Counter adminAuthCounter =
        Counter.builder()
            .name("surge_admin_auth_total")
            .help(
                "Token checks of mutating /admin/* requests (with --admin-token-file), by outcome:"
                    + " allowed, missing (no bearer token), wrong (a token that does not match),"
                    + " locked (the token file does not exist: every request refused).")
            .labelNames("outcome")
            .withoutExemplars()
            .register(registry);
    for (AdminAuthOutcome outcome : AdminAuthOutcome.values()) {
      adminAuth.put(outcome, adminAuthCounter.labelValues(outcome.label()));
    }
    Info info =
        Info.builder()
            .name("surge_app_info")
            .help("Build information of the surge app.")
            .labelNames("version")
            .register(registry);
    info.setLabelValues(version);
  }

  static final String WORK_UNITS_HELP =
      "Units of work done: one per /api/work request that burned its CPU time.";
  static final String REQUESTS_HELP = "HTTP requests served, by method, route template and status.";
  static final String DURATION_HELP =
      "HTTP request duration in seconds, by route template and status class (2xx, 4xx, 5xx, ...).";

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
   * index order), created on first use and cached. Call it once per {@code Metrics} (the app has
   * one router): the series ceiling is per call, and the cells of {@link RequestSeries} are sized
   * for one ceiling's worth of label sets.
   */
  public Requests requests(List<String> routes) {
    return new Requests(routes);
  }

  /** Counts one admin token check. */
  public void adminAuth(AdminAuthOutcome outcome) {
    adminAuth.get(outcome).inc();
  }

  /** The {@code outcome} label values of {@code surge_admin_auth_total}. */
  public enum AdminAuthOutcome {
    ALLOWED,
    MISSING,
    WRONG,
    /** The token file is configured but absent: every guarded request is refused (403). */
    LOCKED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Records one finished {@code /api/work} request that used {@code cpuNanos} of CPU time. */
  @Override
  public void workDone(long cpuNanos) {
    workCpuSeconds.observeNanos(cpuNanos);
  }

  /**
   * Request data points by (route index, method index, status), each created once.
   *
   * <p>The series ceiling lives here. The histogram is labelled by route and status class only (15
   * series per label set: at most {@code routes × 5 × 15}); the counter by method, route and {@link
   * StatusLabel} value. Counter label sets beyond {@link #maxExactSets()} are folded into {@code
   * method="OTHER"} and the status class of the same route: those are reserved in the budget, so
   * the exposition stays under {@link #SERIES_CEILING} whatever clients send, and the SLI (route
   * and status class) stays exact even then.
   *
   * <p>Thread-safe: {@link #get} is a lock-free array read once a label set exists; the first use
   * of a label set takes this object's lock (cold path, at most a few hundred times per process).
   */
  public final class Requests implements RequestMetrics {
    private final List<String> routes;
    private final AtomicReferenceArray<RequestDataPoints> cache;
    private final int[] histograms; // guarded by this; -1 until created
    private final int maxExactSets;
    private int exactSets; // guarded by this

    private Requests(List<String> routes) {
      this.routes = List.copyOf(routes);
      this.cache =
          new AtomicReferenceArray<>(routes.size() * METHODS.size() * StatusLabel.VALUES.size());
      this.histograms = new int[routes.size() * StatusLabel.CLASSES.size()];
      Arrays.fill(histograms, -1);
      int histogramSeries = routes.size() * StatusLabel.CLASSES.size() * SERIES_PER_HISTOGRAM;
      int reserved = routes.size() * StatusLabel.CLASSES.size();
      this.maxExactSets = SERIES_CEILING - OTHER_SERIES - histogramSeries - reserved;
      if (maxExactSets < routes.size()) {
        throw new IllegalArgumentException(
            routes.size()
                + " routes leave no room under the ceiling of "
                + SERIES_CEILING
                + " series");
      }
    }

    @Override
    public void record(int routeIndex, int methodIndex, int status, long startNanos) {
      get(routeIndex, methodIndex, status).observeNanos(System.nanoTime() - startNanos);
    }

    /** Counter label sets that keep their method and exact status; later ones are folded. */
    public int maxExactSets() {
      return maxExactSets;
    }

    /**
     * The counter and histogram data points of one (route, method, status).
     *
     * @param methodIndex index into {@link #METHODS}
     * @param status the response status; folded by {@link StatusLabel}
     */
    public RequestDataPoints get(int routeIndex, int methodIndex, int status) {
      int slot = slot(routeIndex, methodIndex, StatusLabel.index(status));
      RequestDataPoints points = cache.get(slot);
      return points != null ? points : create(routeIndex, methodIndex, StatusLabel.index(status));
    }

    private int slot(int routeIndex, int methodIndex, int statusIndex) {
      return (routeIndex * METHODS.size() + methodIndex) * StatusLabel.VALUES.size() + statusIndex;
    }

    private synchronized RequestDataPoints create(
        int routeIndex, int methodIndex, int statusIndex) {
      int slot = slot(routeIndex, methodIndex, statusIndex);
      RequestDataPoints points = cache.get(slot);
      if (points != null) {
        return points;
      }
      int classIndex = StatusLabel.classIndex(statusIndex);
      boolean reserved = methodIndex == OTHER_METHOD && StatusLabel.isClass(statusIndex);
      if (reserved || exactSets < maxExactSets) {
        if (!reserved) {
          exactSets++;
        }
        int count =
            requestSeries.counter(
                METHODS.get(methodIndex),
                routes.get(routeIndex),
                StatusLabel.VALUES.get(statusIndex));
        points = new RequestDataPoints(requestSeries, count, histogram(routeIndex, classIndex));
      } else {
        points = create(routeIndex, OTHER_METHOD, StatusLabel.indexOfClass(classIndex));
      }
      cache.set(slot, points);
      return points;
    }

    private int histogram(int routeIndex, int classIndex) { // under this object's lock
      int slot = routeIndex * StatusLabel.CLASSES.size() + classIndex;
      if (histograms[slot] < 0) {
        histograms[slot] =
            requestSeries.histogram(routes.get(routeIndex), StatusLabel.CLASSES.get(classIndex));
      }
      return histograms[slot];
    }
  }

  /** The data points of one (route, method, status). */
  public static final class RequestDataPoints {
    private final RequestSeries series;
    private final int count;
    private final int histogram;

    RequestDataPoints(RequestSeries series, int count, int histogram) {
      this.series = series;
      this.count = count;
      this.histogram = histogram;
    }

    /** Counts one request and observes its duration; lock-free, allocation-free. */
    public void observeNanos(long durationNanos) {
      series.observe(count, histogram, durationNanos);
    }
  }

  /**
   * {@code surge_work_units_total}: the work summary's count, exposed as the counter client_java's
   * {@code Counter} was ({@code MetricsTest} compares the two expositions). Read at scrape time,
   * from any scrape thread.
   */
  static final class WorkUnits implements Collector {
    static final String NAME = "surge_work_units";
    private final MetricMetadata metadata;
    private final WindowedSummary summary;
    private final long createdMillis;

    WorkUnits(String help, WindowedSummary summary, long createdMillis) {
      this.metadata = new MetricMetadata(NAME, help);
      this.summary = summary;
      this.createdMillis = createdMillis;
    }

    @Override
    public CounterSnapshot collect() {
      return new CounterSnapshot(
          metadata,
          List.of(
              new CounterSnapshot.CounterDataPointSnapshot(
                  summary.count(), Labels.EMPTY, null, createdMillis)));
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
      return MetricFamilyDescriptor.of(MetricType.COUNTER, metadata);
    }
  }
}
