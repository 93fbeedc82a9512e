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
import dev.surge.app.http.AdminAuth;
import dev.surge.app.http.AppHandler;
import dev.surge.app.http.JsonErrorHandler;
import dev.surge.app.http.Router;
import dev.surge.app.metrics.DeferredJvmMetrics;
import dev.surge.app.metrics.Metrics;
import dev.surge.app.metrics.RequestMetrics;
import dev.surge.app.metrics.WorkMetrics;
import dev.surge.common.Durations;
import dev.surge.common.Version;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running app, a Jetty {@link ContainerLifeCycle} whose beans start in this order and stop in
 * reverse: the memory and CPU burners (closed last), the Prometheus {@code HTTPServer} on the
 * metrics port, the Jetty server on the app port. A failed start stops what already started, so no
 * thread or port outlives it. {@link #close} drains like SIGTERM: readiness off at once, keep
 * serving for {@code --drain-delay}, then stop accepting and let in-flight requests finish within
 * {@code --shutdown-timeout}.
 *
 * <pre>{@code
 * try (SurgeApp app = SurgeApp.start(AppConfig.builder().port(0).metricsPort(0).build())) {
 *   URI base = URI.create("http://127.0.0.1:" + app.port());
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@code start}, {@code stop} and {@code close} may be called from any thread
 * (Jetty's lifecycle lock serializes them; a second {@code close} waits for the first); the
 * accessors are safe from any thread once {@link #start} has returned.
 */
public final class SurgeApp extends ContainerLifeCycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SurgeApp.class);
  private static final Duration MAX_BURN = Duration.ofHours(1);

  /**
   * Jetty's {@code MemoryUtils} pads its queues to a cache line, and unless this property says how
   * many references fit in one, asks the platform MBean server whether compressed oops are on: that
   * starts JMX, about 45 ms of the main thread's start-up (docs/BENCHMARKS.md, "App"), for a
   * padding guess. With compressed oops (any heap below 32 GB) a reference is 4 bytes, so 16 fit in
   * Jetty's 64-byte line; without them 8.
   */
  static final String JETTY_REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  static {
    if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
      boolean compressedOops = Runtime.getRuntime().maxMemory() < 30L * 1024 * 1024 * 1024;
      System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, compressedOops ? "16" : "8");
    }
  }

  private final AppConfig config;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Server server;
  private final ServerConnector connector;
  private final MetricsServer metricsServer;
  private final DeferredJvmMetrics jvmMetrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int port = -1;

  /** Builds every part without starting any (package-private for the lifecycle tests). */
  SurgeApp(AppConfig config) {
    this.config = config;
    long startNanos = System.nanoTime();
    String version = Version.get();
    PrometheusRegistry registry = new PrometheusRegistry();
    // JvmMetrics takes a good share of start-up (JMX beans) and /readyz needs none of it: it is
    // registered once the app is ready (doStart), and a scrape before then waits for it.
    jvmMetrics = new DeferredJvmMetrics();
    registry.register(jvmMetrics);

    Faults faults =
        new Faults(
            new FaultSettings(
                config.errorRate(), config.addedLatency().toMillis(), config.ready()));
    CpuBurner cpuBurner = new CpuBurner(Runtime.getRuntime().availableProcessors(), MAX_BURN);
    MemoryBurner memoryBurner = new MemoryBurner(Runtime.getRuntime().maxMemory() / 2, MAX_BURN);
    ProbeEndpoints probes = new ProbeEndpoints(lifecycle, faults);
    // GracefulHandler counts in-flight requests (including async ones such as /delay) so stop()
    // waits for them; the in-flight gauge reads that count, so it costs the request path nothing.
    GracefulHandler graceful = new GracefulHandler();
    Metrics metrics =
        new Metrics(
            registry,
            version,
            new Metrics.State(
                cpuBurner::millicores,
                memoryBurner::bytesHeld,
                () -> faults.settings().errorRate(),
                () -> faults.settings().addedLatencyMillis() / 1000.0,
                () -> probes.isReady() ? 1 : 0,
                () -> graceful.getCurrentRequestCount()));
    boolean instrumented = config.metricsEnabled();
    AdminAuth auth = adminAuth(config.adminToken(), metrics);

    Router router =
        router(
            config,
            version,
            startNanos,
            faults,
            probes,
            new BurnEndpoints(cpuBurner, memoryBurner),
            auth,
            instrumented ? metrics : WorkMetrics.OFF);
    AppHandler handler =
        new AppHandler(
            router,
            instrumented ? metrics.requests(router.templates()) : RequestMetrics.OFF,
            faults,
            lifecycle,
            config.instance(),
            config.maxBodyBytes());
    server = new Server(threadPool());
    graceful.setHandler(handler);
    connector = jetty(server, graceful, config);
    metricsServer = new MetricsServer(registry, config.host(), config.metricsPort());

    addBean(new Closing(memoryBurner));
    addBean(new Closing(cpuBurner));
    addBean(metricsServer);
    addBean(server);
  }

  /**
   * Starts every part and returns once both ports are bound and the app is ready.
   *
   * @throws IllegalStateException if a port cannot be bound (the message names the flag and the
   *     port); nothing started stays running
   */
  public static SurgeApp start(AppConfig config) {
    SurgeApp app = new SurgeApp(config);
    try {
      app.start();
    } catch (Exception e) {
      throw app.failedStart(e);
    }
    return app;
  }

  /** Stops whatever started (Jetty unwinds its own beans, this makes sure) and says why. */
  IllegalStateException failedStart(Exception e) {
    try {
      stop();
    } catch (Exception stopFailure) {
      e.addSuppressed(stopFailure);
    }
    if (e instanceof IllegalStateException ise) {
      return ise;
    }
    return new IllegalStateException(
        "cannot listen on --port " + config.port() + " at " + config.host() + ": " + e.getMessage(),
        e);
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    port = connector.getLocalPort();
    lifecycle.advanceTo(Lifecycle.State.READY);
    jvmMetrics.start();
  }

  /** Every endpoint of the contract, by method and route template. */
  private static AdminAuth adminAuth(AdminToken token, Metrics metrics) {
    if (token.isSet()) {
      return AdminAuth.withToken(token.value(), metrics::adminAuth);
    }
    if (token.isLocked()) {
      String file = token.lockedBy().orElseThrow().toString();
      LOG.warn(
          "admin endpoints locked: the admin token file {} does not exist; create it (k8s: the"
              + " Secret surge-admin-token) and restart",
          file);
      return AdminAuth.locked(
          "no admin token: the file "
              + file
              + " does not exist; create it (k8s: the Secret surge-admin-token) and restart the"
              + " app",
          metrics::adminAuth);
    }
    return AdminAuth.open();
  }

  private static Router router(
      AppConfig config,
      String version,
      long startNanos,
      Faults faults,
      ProbeEndpoints probes,
      BurnEndpoints burn,
      AdminAuth auth,
      WorkMetrics workMetrics) {
    Router.Builder routes =
        Router.builder()
            .route("GET", "/", new InfoEndpoint(version, config.instance(), startNanos))
            .route("GET", "/api/work", new WorkEndpoint(config.maxCpuMillis(), workMetrics))
            .route("GET", "/delay/{millis}", new DelayEndpoint(config.maxDelayMillis()))
            .route("GET", "/status/{code}", new StatusEndpoint());
    if (config.adminEnabled()) {
      FaultsEndpoint faultsEndpoint = new FaultsEndpoint(faults, config.maxDelayMillis());
      // Reads stay open (the same settings are on /metrics as surge_fault_*); changes need the
      // token when one is configured.
      routes
          .route("GET", "/admin/faults", faultsEndpoint.get())
          .route("PUT", "/admin/faults", auth.guard(faultsEndpoint.put()))
          .route("POST", "/admin/cpu", auth.guard(burn.startCpu()))
          .route("DELETE", "/admin/cpu", auth.guard(burn.cancelCpu()))
          .route("POST", "/admin/memory", auth.guard(burn.startMemory()))
          .route("DELETE", "/admin/memory", auth.guard(burn.cancelMemory()));
    }
    return routes
        .route("GET", "/healthz", probes.healthz())
        .route("GET", "/readyz", probes.readyz())
        .build();
  }

  private static QueuedThreadPool threadPool() {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("surge-http");
    return threads;
  }

  /** Configures Jetty on the app port with graceful stop; returns its connector. */
  private static ServerConnector jetty(Server server, GracefulHandler handler, AppConfig config) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setHandler(handler);
    server.setErrorHandler(new JsonErrorHandler(config.instance()));
    server.setStopTimeout(config.shutdownTimeout().toMillis());
    return connector;
  }

  /** The bound app port (still reported after close). */
  public int port() {
    return port;
  }

  /** The bound metrics port (still reported after close). */
  public int metricsPort() {
    return metricsServer.port();
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
    try {
      stop();
    } catch (Exception e) {
      // Requests still running at the timeout are cut off; say so rather than fail the shutdown.
      LOG.warn(
          "graceful stop did not finish within {}: {}",
          format(config.shutdownTimeout()),
          e.toString());
    }
  }

  @Override
  protected void doStop() throws Exception {
    try {
      // Only a started app drains: after a failed start nobody was told it is ready.
      if (lifecycle.advanceTo(Lifecycle.State.DRAINING) && port > 0) {
        LOG.info("draining: /readyz answers 503; serving for {}", format(config.drainDelay()));
        sleep(config.drainDelay());
        LOG.info(
            "stopping: no new connections; in-flight requests get up to {}",
            format(config.shutdownTimeout()));
      }
      super.doStop(); // Jetty (graceful), then the metrics server, then the burners
      lifecycle.advanceTo(Lifecycle.State.STOPPED);
      LOG.info("stopped");
    } finally {
      stopped.countDown();
    }
  }

  private static String format(Duration d) {
    return Durations.format(d.toNanos() / 1e9);
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
