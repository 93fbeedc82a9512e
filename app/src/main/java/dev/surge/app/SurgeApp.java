package dev.surge.app;

import dev.surge.app.burn.CpuBurner;
import dev.surge.app.burn.MemoryBurner;
import dev.surge.app.endpoints.BurnEndpoints;
import dev.surge.app.endpoints.DelayEndpoint;
import dev.surge.app.endpoints.FaultsEndpoint;
import dev.surge.app.endpoints.InfoEndpoint;
import dev.surge.app.endpoints.ProbeEndpoints;
import dev.surge.app.endpoints.StatusEndpoint;
import dev.surge.app.endpoints.WorkEndpoint;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.fault.Faults;
import dev.surge.app.http.AppHandler;
import dev.surge.app.http.JsonErrorHandler;
import dev.surge.app.http.Router;
import dev.surge.app.metrics.Metrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running app: the Jetty server on the app port and the Prometheus {@code HTTPServer} on the
 * metrics port, both bound when {@link #start} returns. {@link #close} drains like SIGTERM:
 * readiness off at once, keep serving for {@code --drain-delay}, then stop accepting and let
 * in-flight requests finish within {@code --shutdown-timeout}.
 *
 * <pre>{@code
 * try (SurgeApp app = SurgeApp.start(AppConfig.parse(List.of("--port", "0", "--metrics-port", "0"), Map.of()))) {
 *   URI base = URI.create("http://127.0.0.1:" + app.port());
 * }
 * }</pre>
 */
public final class SurgeApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SurgeApp.class);
  private static final Duration MAX_BURN = Duration.ofHours(1);

  private final AppConfig config;
  private final Lifecycle lifecycle;
  private final Server server;
  private final int port;
  private final HTTPServer metricsServer;
  private final CpuBurner cpuBurner;
  private final MemoryBurner memoryBurner;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private SurgeApp(
      AppConfig config,
      Lifecycle lifecycle,
      Server server,
      int port,
      HTTPServer metricsServer,
      CpuBurner cpuBurner,
      MemoryBurner memoryBurner) {
    this.config = config;
    this.lifecycle = lifecycle;
    this.server = server;
    this.port = port;
    this.metricsServer = metricsServer;
    this.cpuBurner = cpuBurner;
    this.memoryBurner = memoryBurner;
  }

  /**
   * Starts both servers and returns once they are bound and the app is ready.
   *
   * @throws IllegalStateException if a port cannot be bound (the message names the flag and the
   *     port)
   */
  public static SurgeApp start(AppConfig config) {
    long startNanos = System.nanoTime();
    String version = Version.get();
    PrometheusRegistry registry = new PrometheusRegistry();
    // JvmMetrics takes a good share of start-up (JMX beans); it runs beside Jetty's start on a
    // second core.
    CompletableFuture<Void> jvmMetrics =
        CompletableFuture.runAsync(() -> JvmMetrics.builder().register(registry));

    Lifecycle lifecycle = new Lifecycle();
    Faults faults =
        new Faults(
            new FaultSettings(
                config.errorRate(), config.addedLatency().toMillis(), config.ready()));
    CpuBurner cpuBurner = new CpuBurner(Runtime.getRuntime().availableProcessors(), MAX_BURN);
    MemoryBurner memoryBurner = new MemoryBurner(Runtime.getRuntime().maxMemory() / 2, MAX_BURN);
    ProbeEndpoints probes = new ProbeEndpoints(lifecycle, faults);
    Metrics metrics =
        new Metrics(
            registry,
            version,
            new Metrics.State(
                cpuBurner::millicores,
                memoryBurner::bytesHeld,
                () -> faults.settings().errorRate(),
                () -> faults.settings().addedLatencyMillis() / 1000.0,
                () -> probes.isReady() ? 1 : 0));
    Metrics requestMetrics = config.metricsEnabled() ? metrics : null;

    Router router =
        router(
            config,
            version,
            startNanos,
            faults,
            probes,
            new BurnEndpoints(cpuBurner, memoryBurner),
            requestMetrics);
    AppHandler handler =
        new AppHandler(
            router, requestMetrics, faults, lifecycle, config.instance(), config.maxBodyBytes());
    Server server = new Server(threadPool());
    ServerConnector connector;
    HTTPServer metricsServer;
    try {
      connector = startJetty(server, handler, config);
      jvmMetrics.join();
      metricsServer = startMetricsServer(registry, config, server);
    } catch (RuntimeException e) {
      memoryBurner.close(); // its timer thread would outlive the failed start
      throw e;
    }
    lifecycle.advanceTo(Lifecycle.State.READY);
    return new SurgeApp(
        config,
        lifecycle,
        server,
        connector.getLocalPort(),
        metricsServer,
        cpuBurner,
        memoryBurner);
  }

  /** Every endpoint of the contract, by method and route template. */
  private static Router router(
      AppConfig config,
      String version,
      long startNanos,
      Faults faults,
      ProbeEndpoints probes,
      BurnEndpoints burn,
      Metrics requestMetrics) {
    FaultsEndpoint faultsEndpoint = new FaultsEndpoint(faults, config.maxDelayMillis());
    return Router.builder()
        .route("GET", "/", new InfoEndpoint(version, config.instance(), startNanos))
        .route("GET", "/api/work", new WorkEndpoint(config.maxCpuMillis(), requestMetrics))
        .route("GET", "/delay/{millis}", new DelayEndpoint(config.maxDelayMillis()))
        .route("GET", "/status/{code}", new StatusEndpoint())
        .route("GET", "/admin/faults", faultsEndpoint.get())
        .route("PUT", "/admin/faults", faultsEndpoint.put())
        .route("POST", "/admin/cpu", burn.startCpu())
        .route("DELETE", "/admin/cpu", burn.cancelCpu())
        .route("POST", "/admin/memory", burn.startMemory())
        .route("DELETE", "/admin/memory", burn.cancelMemory())
        .route("GET", "/healthz", probes.healthz())
        .route("GET", "/readyz", probes.readyz())
        .build();
  }

  private static QueuedThreadPool threadPool() {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("surge-http");
    return threads;
  }

  /** Starts Jetty on the app port with graceful stop; returns the bound connector. */
  private static ServerConnector startJetty(Server server, AppHandler handler, AppConfig config) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    // GracefulHandler counts in-flight requests (including async ones such as /delay) so stop()
    // waits for them.
    server.setHandler(new GracefulHandler(handler));
    server.setErrorHandler(new JsonErrorHandler(config.instance()));
    server.setStopTimeout(config.shutdownTimeout().toMillis());
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw new IllegalStateException(
          "cannot listen on --port "
              + config.port()
              + " at "
              + config.host()
              + ": "
              + e.getMessage(),
          e);
    }
    return connector;
  }

  /** Starts client_java's HTTPServer on the metrics port; stops Jetty again if it cannot. */
  private static HTTPServer startMetricsServer(
      PrometheusRegistry registry, AppConfig config, Server jetty) {
    try {
      return HTTPServer.builder()
          .hostname(config.host())
          .port(config.metricsPort())
          .registry(registry)
          .buildAndStart();
    } catch (IOException e) {
      stopQuietly(jetty);
      throw new IllegalStateException(
          "cannot listen on --metrics-port "
              + config.metricsPort()
              + " at "
              + config.host()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // Start-up already failed; that failure is the one worth reporting.
      LOG.debug("stop after a failed start", e);
    }
  }

  /** The bound app port (still reported after close). */
  public int port() {
    return port;
  }

  /** The bound metrics port. */
  public int metricsPort() {
    return metricsServer.getPort();
  }

  public String instance() {
    return config.instance();
  }

  public Lifecycle.State state() {
    return lifecycle.state();
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /**
   * Drains and stops: readiness off at once, keep serving for {@code --drain-delay} (responses
   * carry {@code Connection: close}), then stop accepting and give in-flight requests up to {@code
   * --shutdown-timeout}. A second call waits for the first to finish.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitQuietly();
      return;
    }
    try {
      lifecycle.advanceTo(Lifecycle.State.DRAINING);
      LOG.info(
          "draining: /readyz answers 503; serving for {}", Durations.format(config.drainDelay()));
      sleep(config.drainDelay());
      LOG.info(
          "stopping: no new connections; in-flight requests get up to {}",
          Durations.format(config.shutdownTimeout()));
      try {
        server.stop();
      } catch (Exception e) {
        // Requests still running at the timeout are cut off; say so rather than fail the shutdown.
        LOG.warn(
            "graceful stop did not finish within {}: {}",
            Durations.format(config.shutdownTimeout()),
            e.toString());
      }
      metricsServer.close();
      cpuBurner.close();
      memoryBurner.close();
      lifecycle.advanceTo(Lifecycle.State.STOPPED);
      LOG.info("stopped");
    } finally {
      stopped.countDown();
    }
  }

  private void awaitQuietly() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      // The drain delay is the point of this wait: endpoints controllers need time to remove the
      // pod.
      TimeUnit.MILLISECONDS.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
