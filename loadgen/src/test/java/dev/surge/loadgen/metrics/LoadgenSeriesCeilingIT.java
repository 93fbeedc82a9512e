package dev.surge.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.client.LoadClient;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * The loadgen's own exposition against a target that answers every status code 200..599 from
 * thousands of different {@code X-Surge-Instance} values (a balancer in front of a huge fleet) and
 * sometimes drops the connection: the series stay far under the app's ceiling of 1,000 and a second
 * pass adds none, and what feeds them stays bounded (backends capped at {@link
 * RunRecorder#MAX_BACKENDS} plus {@code other}).
 */
class LoadgenSeriesCeilingIT {
  private static final int REQUESTS_PER_PASS = 6000;
  private static final int MAX_IN_FLIGHT = 64;

  @Test
  void randomStatusesAndThousandsOfBackendsDoNotGrowTheExposition() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(50) == 0) {
              // A reset connection: a transport error kind rather than a status.
              request.getConnectionMetaData().getConnection().getEndPoint().close();
              callback.failed(new IllegalStateException("dropped on purpose"));
              return true;
            }
            response.setStatus(200 + random.nextInt(400));
            response.getHeaders().put("X-Surge-Instance", "pod-" + random.nextInt(5000));
            response.write(true, null, callback);
            return true;
          }
        });
    server.start();
    RunRecorder recorder = new RunRecorder();
    Set<String> backends = new HashSet<>();
    Set<String> statuses = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    try (LoadClient client = LoadClient.builder().requestTimeoutMillis(10_000).build();
        LoadgenMetrics metrics = LoadgenMetrics.create(0)) {
      RequestTemplate target =
          RequestTemplate.get("http://127.0.0.1:" + connector.getLocalPort() + "/");
      long runStart = System.nanoTime();
      long[] previous = {runStart};
      Runnable pass =
          () -> {
            for (int i = 0; i < REQUESTS_PER_PASS; i++) {
              awaitInFlightBelow(recorder, MAX_IN_FLIGHT, 30);
              long now = System.nanoTime();
              recorder.sent(now, now);
              client.send(target, now, recorder);
              if (i % 1000 == 999) {
                Interval interval = recorder.snapshot(runStart, previous[0], System.nanoTime());
                previous[0] = System.nanoTime();
                backends.addAll(interval.backends().keySet());
                statuses.addAll(interval.statusCodes().keySet());
                kinds.addAll(interval.errorsByKind().keySet());
                metrics.update(interval, 100);
              }
            }
            awaitInFlightBelow(recorder, 1, 60);
          };
      String url = "http://127.0.0.1:" + metrics.port() + "/metrics";

      pass.run();
      Set<String> first = series(url);
      pass.run();
      Set<String> second = series(url);

      System.out.printf(
          "LoadgenSeriesCeilingIT: %d requests, %d status codes, %d backend keys, error kinds %s;"
              + " loadgen series %d%n",
          2 * REQUESTS_PER_PASS, statuses.size(), backends.size(), kinds, second.size());
      assertThat(statuses.size()).as("the target really answered many codes").isGreaterThan(300);
      assertThat(backends)
          .as("backends are capped and the rest is counted as other")
          .hasSize(RunRecorder.MAX_BACKENDS + 1)
          .contains(RunRecorder.OTHER_BACKEND);
      assertThat(kinds).contains("http_4xx", "http_5xx");
      assertThat(first).hasSizeLessThanOrEqualTo(1000);
      assertThat(second).as("a second pass adds no series").isEqualTo(first);
      assertThat(String.join("\n", second)).doesNotContain("pod-");
    } finally {
      server.stop();
    }
  }

  /** Flow control for the loop, bounded in time; not a synchronization the assertions rely on. */
  private static void awaitInFlightBelow(RunRecorder recorder, int limit, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (recorder.inFlight() >= limit) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            recorder.inFlight() + " requests still in flight after " + seconds + " s");
      }
      LockSupport.parkNanos(100_000);
    }
  }

  private static Set<String> series(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Set<String> out = new TreeSet<>();
    r.body()
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> out.add(l.substring(0, l.lastIndexOf(' '))));
    return out;
  }
}
