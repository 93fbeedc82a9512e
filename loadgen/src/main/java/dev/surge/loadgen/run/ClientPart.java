package dev.surge.loadgen.run;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.JitWarmUp;
import dev.surge.loadgen.client.LoadClient;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.dispatch.LoopDispatcher;
import dev.surge.loadgen.schedule.Schedule;
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
  private static final int WARM_UP_REQUESTS = 1000;

  /** The warm-up's rate through the loops' own feed (1 000 requests: 50 ms). */
  private static final double WARM_UP_RATE = 20_000;

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
        if (cfg.closed() || c.feedLanes() == 0) {
          JitWarmUp.run(c, WARM_UP_REQUESTS, WARM_UP_IN_FLIGHT, WARM_UP_BUDGET_MILLIS);
        } else {
          // The path the run takes: each loop's own feed (Lane.take, the schedule, admission).
          JitWarmUp.run(
              (t, rec, deadline) ->
                  new LoopDispatcher(
                          Schedule.of(
                              RateProfile.constant(WARM_UP_RATE, WARM_UP_REQUESTS / WARM_UP_RATE)),
                          n -> t,
                          rec,
                          // No cap: a cold loop falls behind and catches up in a burst, and every
                          // request is to run the path, not to be dropped.
                          WARM_UP_REQUESTS,
                          CatchUp.BURST)
                      .run(c, System.nanoTime(), () -> System.nanoTime() - deadline > 0),
              WARM_UP_BUDGET_MILLIS);
        }
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
