package dev.surge.loadgen.run;

import dev.surge.loadgen.client.JitWarmUp;
import dev.surge.loadgen.client.LoadClient;
import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The HTTP client as a part of the {@link LoadRun}: built and warmed up on start (connections to
 * every target, the hot path JIT-compiled against a loopback server), closed on stop. A warm-up
 * that fails closes the client before the failure propagates.
 */
final class ClientPart extends AbstractLifeCycle {
  // Enough for the client's hot path to leave the interpreter; bounded so a slow machine starts
  // within 3 s anyway.
  private static final int WARM_UP_REQUESTS = 3000;
  private static final int WARM_UP_IN_FLIGHT = 16;
  private static final long WARM_UP_BUDGET_MILLIS = 3000;

  private final RunConfig cfg;
  private final String version;
  private volatile LoadClient client;

  ClientPart(RunConfig cfg, String version) {
    this.cfg = cfg;
    this.version = version;
  }

  @Override
  protected void doStart() {
    Set<URI> targets =
        cfg.mix().entries().stream().map(w -> w.template().uri()).collect(Collectors.toSet());
    LoadClient c =
        LoadClient.builder()
            .connections(cfg.connections())
            .http2(cfg.http2())
            .transport(cfg.transport())
            .targets(targets)
            .maxQueued(Math.max(cfg.maxInFlight(), 1))
            .maxConnectionAgeMillis(cfg.maxConnectionAgeMillis())
            .idleTimeoutMillis(cfg.idleTimeoutMillis())
            .connectTimeoutMillis(cfg.connectTimeoutMillis())
            .requestTimeoutMillis(cfg.requestTimeoutMillis())
            .userAgent("surge-loadgen/" + version)
            .build();
    try {
      c.warmUp(targets, Math.min(cfg.connections(), 4));
      if (!cfg.http2()) {
        // The loopback warm-up server speaks HTTP/1.1 only; an HTTP/2 run starts cold.
        JitWarmUp.run(c, WARM_UP_REQUESTS, WARM_UP_IN_FLIGHT, WARM_UP_BUDGET_MILLIS);
      }
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    client = c;
  }

  @Override
  protected void doStop() {
    client.close();
  }

  /** The client; only once started. */
  LoadClient client() {
    return client;
  }
}
