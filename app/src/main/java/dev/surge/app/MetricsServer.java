package dev.surge.app;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * client_java's {@link HTTPServer} on {@code --metrics-port} as a Jetty lifecycle bean: bound by
 * {@code start()}, closed by {@code stop()}.
 *
 * <p>Started and stopped by its container's thread; {@link #port()} may be read from any thread
 * once started.
 */
final class MetricsServer extends AbstractLifeCycle {
  private final PrometheusRegistry registry;
  private final String host;
  private final int requestedPort;
  private volatile HTTPServer server;
  private volatile int port = -1;

  MetricsServer(PrometheusRegistry registry, String host, int port) {
    this.registry = registry;
    this.host = host;
    this.requestedPort = port;
  }

  @Override
  protected void doStart() {
    try {
      server =
          HTTPServer.builder()
              .hostname(host)
              .port(requestedPort)
              .registry(registry)
              .buildAndStart();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on --metrics-port "
              + requestedPort
              + " at "
              + host
              + ": "
              + e.getMessage(),
          e);
    }
    port = server.getPort();
  }

  @Override
  protected void doStop() {
    HTTPServer s = server;
    if (s != null) {
      s.close();
      server = null;
    }
  }

  /** The bound port (still reported after stop), or -1 before the first start. */
  int port() {
    return port;
  }
}
