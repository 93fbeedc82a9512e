package dev.surge.loadgen.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.Durations;
import dev.surge.common.cli.ExitCode;
import dev.surge.loadgen.output.ResultWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A shard's side of the rendezvous (shards 1..N-1): joins shard 0 and polls until it names the
 * start, and delivers the shard's result at the end. Every call retries on connection failures
 * (shard 0's pod may not be up yet, its DNS name not yet published) until its deadline, then fails
 * with a message naming this shard and the coordinator's address. Used from one thread.
 */
final class ShardClient {
  private static final long POLL_NANOS = 200_000_000L;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final DistributedConfig cfg;

  ShardClient(DistributedConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * Joins and waits for the start instant (not for the instant itself).
   *
   * @throws RendezvousException after the join timeout: exit 2 when shard 0 was never reached
   *     (--peers is probably wrong), else 1; or at once when shard 0 refuses this shard
   */
  Instant join(String profile, AtomicBoolean stop) {
    byte[] body =
        json(
            Map.of("index", cfg.shard().index(), "count", cfg.shard().count(), "profile", profile));
    URI uri = cfg.coordinatorPeer().uri(CoordinatorHandler.BASE + "/join");
    long deadline = System.nanoTime() + seconds(cfg.joinTimeoutSeconds());
    String lastFailure = null;
    boolean reached = false;
    while (true) {
      if (stop.get()) {
        throw new RendezvousException(
            ExitCode.FAILED, who() + ": stopped by signal before the run started");
      }
      try {
        HttpResponse<String> r = post(uri, body);
        reached = true;
        JsonNode answer = ResultWriter.JSON.readTree(r.body());
        if (r.statusCode() == 200) {
          if (answer.path("start").isTextual()) {
            return Instant.parse(answer.path("start").asText());
          }
          lastFailure = "waiting for the other shards to join";
        } else if (r.statusCode() / 100 == 4) {
          throw new RendezvousException(
              ExitCode.USAGE,
              who() + ": shard 0 at " + cfg.coordinatorPeer() + " refused it: " + detail(answer));
        } else {
          lastFailure = "shard 0 answered " + r.statusCode();
        }
      } catch (IOException e) {
        lastFailure = describe(e);
      }
      if (System.nanoTime() - deadline >= 0) {
        String limit = Durations.format(cfg.joinTimeoutSeconds());
        throw reached
            ? new RendezvousException(
                ExitCode.FAILED,
                who()
                    + ": joined shard 0 at "
                    + cfg.coordinatorPeer()
                    + " but the run did not start within "
                    + limit
                    + " ("
                    + lastFailure
                    + "; shard 0's log names the missing shards)")
            : new RendezvousException(
                ExitCode.USAGE,
                who()
                    + ": coordinator (shard 0) at "
                    + cfg.coordinatorPeer()
                    + " not reachable within "
                    + limit
                    + ": "
                    + lastFailure
                    + " (check --peers / --peers-subdomain)");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /**
   * Sends this shard's result to shard 0, retrying until the result timeout.
   *
   * @throws RendezvousException when it could not be delivered
   */
  void deliver(ShardReport report) {
    byte[] body = json(report);
    URI uri = cfg.coordinatorPeer().uri(CoordinatorHandler.BASE + "/result");
    long deadline = System.nanoTime() + seconds(cfg.resultTimeoutSeconds());
    String lastFailure;
    while (true) {
      try {
        HttpResponse<String> r = post(uri, body);
        if (r.statusCode() == 200) {
          return;
        }
        String detail = detail(ResultWriter.JSON.readTree(r.body()));
        if (r.statusCode() / 100 == 4) {
          throw new RendezvousException(
              ExitCode.FAILED, who() + ": shard 0 refused the result: " + detail);
        }
        lastFailure = "shard 0 answered " + r.statusCode() + ": " + detail;
      } catch (IOException e) {
        lastFailure = describe(e);
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new RendezvousException(
            ExitCode.FAILED,
            who()
                + ": could not deliver the result to shard 0 at "
                + cfg.coordinatorPeer()
                + " within "
                + Durations.format(cfg.resultTimeoutSeconds())
                + ": "
                + lastFailure);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private HttpResponse<String> post(URI uri, byte[] body) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private String who() {
    return "shard " + cfg.shard();
  }

  private static String detail(JsonNode answer) {
    return answer.path("detail").asText(answer.toString());
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private static byte[] json(Object o) {
    try {
      return ResultWriter.JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
    }
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }
}
