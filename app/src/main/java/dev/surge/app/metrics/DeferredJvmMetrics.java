package dev.surge.app.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * client_java's JVM and process metrics ({@code jvm_*}, {@code process_*}), built off the start-up
 * path and still in every scrape, the first one included.
 *
 * <p>{@link JvmMetrics} reads JMX beans as it registers: about 200 classes and a good share of the
 * app's start-up CPU, none of which {@code /readyz} needs. So the app registers this collector
 * (cheap) before it starts, and calls {@link #start} once it is ready: a daemon thread then
 * registers {@link JvmMetrics} in a registry of its own. A scrape that comes before that has
 * finished waits for it, so no scrape ever lacks a series the dashboards and alerts read.
 *
 * <pre>{@code
 * DeferredJvmMetrics jvm = new DeferredJvmMetrics();
 * registry.register(jvm);
 * // ... start the servers, become ready ...
 * jvm.start();
 * }</pre>
 *
 * <p>Thread-safe: {@link #start} may be called from any thread, more than once (the first call
 * wins); {@code collect} from any number of scrape threads at once, before or after {@link #start}
 * (before, it starts the registration itself, so a scrape never waits on a start that does not
 * come).
 */
public final class DeferredJvmMetrics implements MultiCollector {
  private final CompletableFuture<PrometheusRegistry> registry = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();

  /** Registers the JVM metrics on a daemon thread, once. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(this::register, "surge-jvm-metrics");
      t.setDaemon(true);
      t.start();
    }
  }

  private void register() {
    try {
      PrometheusRegistry r = new PrometheusRegistry();
      JvmMetrics.builder().register(r);
      registry.complete(r);
    } catch (RuntimeException | Error e) {
      registry.completeExceptionally(e);
    }
  }

  private PrometheusRegistry registry() {
    start();
    return registry.join();
  }

  @Override
  public MetricSnapshots collect() {
    return registry().scrape();
  }

  @Override
  public MetricSnapshots collect(PrometheusScrapeRequest scrapeRequest) {
    return registry().scrape(scrapeRequest);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    return registry().scrape(includedNames);
  }

  @Override
  public MetricSnapshots collect(
      Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
    return registry().scrape(includedNames, scrapeRequest);
  }
}
