package dev.surge.loadgen.calibrate;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;

/**
 * Measures the CPU one request costs on one app instance: drives a known constant rate (open model,
 * absolute send times, bounded in-flight) at {@code --url}, and reads the app's {@code
 * process_cpu_seconds_total} before and after from {@code --metrics-url}. The idle CPU, measured in
 * a quiet period after the warm-up, is subtracted, and the delta is divided by the requests the app
 * itself counted ({@code surge_http_requests_total}), so client-side drops do not skew it.
 *
 * <pre>{@code
 * CalibrationResult r = Calibrator.builder().url(uri).metricsUrl(metrics).rate(20).durationSeconds(30).build().run();
 * r.cpuPerRequestSeconds();
 * }</pre>
 */
public final class Calibrator {
  static final String CPU_METRIC = "process_cpu_seconds_total";
  static final String REQUESTS_METRIC = "surge_http_requests_total";

  private final URI url;
  private final URI metricsUrl;
  private final double rate;
  private final double durationSeconds;
  private final double warmupSeconds;
  private final double idleSeconds;
  private final int connections;
  private final int maxInFlight;

  private Calibrator(Builder b) {
    if (b.url == null || b.metricsUrl == null) {
      throw new IllegalStateException("url and metricsUrl are required");
    }
    this.url = b.url;
    this.metricsUrl = b.metricsUrl;
    this.rate = b.rate;
    this.durationSeconds = b.durationSeconds;
    this.warmupSeconds = b.warmupSeconds;
    this.idleSeconds = b.idleSeconds;
    this.connections = b.connections;
    this.maxInFlight = b.maxInFlight;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs idle measurement, warm-up and the measured phase.
   *
   * @throws IllegalStateException when the metrics endpoint is unreadable or lacks the CPU metric
   */
  public CalibrationResult run() throws Exception {
    HttpClient client = new HttpClient();
    client.setMaxConnectionsPerDestination(connections);
    client.setMaxRequestsQueuedPerDestination(Math.max(1024, maxInFlight * 2));
    client.start();
    try {
      MetricsScraper metrics = new MetricsScraper(client, metricsUrl);
      cpu(metrics); // fail early, before any load, when this is not the app's endpoint
      drive(client, warmupSeconds); // JIT and connection warm-up, not measured
      // The idle CPU is measured after the warm-up, so start-up and JIT work are not taken for
      // idle.
      double cpuIdleStart = cpu(metrics);
      long idleStart = System.nanoTime();
      sleepUntil(idleStart + seconds(idleSeconds));
      double idleMillicores =
          (cpu(metrics) - cpuIdleStart) * 1000 / ((System.nanoTime() - idleStart) / 1e9);
      String before = metrics.fetch();
      long start = System.nanoTime();
      Phase p = drive(client, durationSeconds);
      String after = metrics.fetch();
      double elapsed = (System.nanoTime() - start) / 1e9;

      double cpuDelta =
          MetricsScraper.sum(after, CPU_METRIC) - MetricsScraper.sum(before, CPU_METRIC);
      double servedDelta =
          MetricsScraper.sum(after, REQUESTS_METRIC) - MetricsScraper.sum(before, REQUESTS_METRIC);
      long served = Double.isNaN(servedDelta) ? -1 : Math.round(servedDelta);
      long counted = served >= 0 ? served : p.ok + p.errors;
      double net = Math.max(0, cpuDelta - idleMillicores / 1000 * elapsed);
      double perRequest = counted > 0 ? net / counted : Double.NaN;
      Histogram h = p.latency;
      return new CalibrationResult(
          rate,
          elapsed,
          p.sent,
          p.ok,
          p.errors,
          p.dropped,
          served,
          cpuDelta,
          idleMillicores,
          perRequest,
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(90) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0,
          h.getMaxValue() / 1000.0);
    } finally {
      client.stop();
    }
  }

  private static double cpu(MetricsScraper metrics) {
    double v = metrics.sum(CPU_METRIC);
    if (Double.isNaN(v)) {
      throw new IllegalStateException(
          "the metrics endpoint has no " + CPU_METRIC + " (is it the app's /metrics?)");
    }
    return v;
  }

  private record Phase(long sent, long ok, long errors, long dropped, Histogram latency) {}

  /**
   * Sends at the rate for {@code seconds} on an absolute schedule and waits (bounded) for the
   * responses.
   */
  private Phase drive(HttpClient client, double seconds) throws InterruptedException {
    Recorder recorder = new Recorder(3600L * 1_000_000, 3);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long dropped = 0;
    long total = (long) Math.floor(rate * seconds);
    long start = System.nanoTime();
    for (long n = 0; n < total; n++) {
      long intended = start + (long) (n * 1e9 / rate);
      sleepUntil(intended);
      if (inFlight.get() >= maxInFlight) {
        dropped++;
        continue;
      }
      inFlight.incrementAndGet();
      client
          .newRequest(url)
          .timeout(30, TimeUnit.SECONDS)
          .send(
              new BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                  // Corrected latency: from when the request was due, not when it went out.
                  recorder.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                  if (result.isFailed() || result.getResponse().getStatus() >= 400) {
                    errors.incrementAndGet();
                  } else {
                    ok.incrementAndGet();
                  }
                  inFlight.decrementAndGet();
                }
              });
    }
    long deadline = System.nanoTime() + seconds(35);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5); // waiting for responses to drain; not a schedule
    }
    return new Phase(
        total - dropped, ok.get(), errors.get(), dropped, recorder.getIntervalHistogram());
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  private static void sleepUntil(long nanoTime) {
    long remaining;
    while ((remaining = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(remaining);
    }
  }

  /** Settings of a {@link Calibrator}. */
  public static final class Builder {
    private URI url;
    private URI metricsUrl;
    private double rate = 20;
    private double durationSeconds = 30;
    private double warmupSeconds = 10;
    private double idleSeconds = 3;
    private int connections = 16;
    private int maxInFlight = 256;

    private Builder() {}

    /** The request to drive, e.g. {@code http://127.0.0.1:8080/api/work?cpuMillis=20}. Required. */
    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    /** The app's {@code /metrics}. Required. */
    public Builder metricsUrl(URI metricsUrl) {
      this.metricsUrl = metricsUrl;
      return this;
    }

    /** Requests per second. Default is 20. */
    public Builder rate(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be > 0, got " + rate);
      }
      this.rate = rate;
      return this;
    }

    /** Length of the measured phase. Default is 30 s. */
    public Builder durationSeconds(double seconds) {
      this.durationSeconds = seconds;
      return this;
    }

    /** Unmeasured warm-up at the same rate. Default is 10 s. */
    public Builder warmupSeconds(double seconds) {
      this.warmupSeconds = seconds;
      return this;
    }

    /** Quiet period that measures the idle CPU. Default is 3 s. */
    public Builder idleSeconds(double seconds) {
      this.idleSeconds = seconds;
      return this;
    }

    /** Connections to the target. Default is 16. */
    public Builder connections(int connections) {
      this.connections = connections;
      return this;
    }

    /** Requests in flight before new ones are dropped. Default is 256. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Calibrator build() {
      return new Calibrator(this);
    }
  }
}
