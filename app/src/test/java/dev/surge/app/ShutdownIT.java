package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.app.metrics.Exposition;
import dev.surge.common.Version;
import dev.surge.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real jar as a child process: under concurrent load, with slow requests in flight, SIGTERM
 * turns readiness off at once, the app keeps serving through the drain delay, lets the slow
 * requests finish, and exits 0 — and no request it accepted fails.
 */
class ShutdownIT {
  /**
   * Long enough to be in flight when the 2 s drain ends, even if the load phase before SIGTERM is
   * slow.
   */
  private static final int SLOW_MILLIS = 8000;

  private AppProcess app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void sigtermDrainsWithoutFailingAnAcceptedRequestAndExitsZero() throws Exception {
    app =
        AppProcess.builder()
            .addArgs(
                "--instance",
                "shutdown-it",
                // 2 s leaves room on a loaded machine between seeing /readyz 503 and the end of the
                // drain.
                "--drain-delay",
                "2s")
            .start();
    assertThat(app.instance()).isEqualTo("shutdown-it");
    assertThat(app.version()).isEqualTo(Version.get());
    int port = app.port();
    String base = "http://127.0.0.1:" + port;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThat(get(client, base + "/readyz").statusCode()).isEqualTo(200);

    // Slow requests accepted before SIGTERM must still complete, though they outlive the drain
    // delay.
    int metricsPort = app.metricsPort();
    List<CompletableFuture<Answered>> slow = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      slow.add(
          client
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(base + "/delay/" + SLOW_MILLIS))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .thenApply(r -> new Answered(r, System.nanoTime())));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Exposition.parse(get(client, "http://127.0.0.1:" + metricsPort + "/metrics").body())
                        .value("surge_http_requests_in_flight")
                    >= 5);

    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong readyzOffAt = new AtomicLong();
    AtomicInteger okDuringDrain = new AtomicInteger();
    AtomicInteger closeHeadersDuringDrain = new AtomicInteger();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Thread t =
          new Thread(
              () -> {
                while (sending.get()) {
                  boolean draining = readyzOffAt.get() != 0;
                  try {
                    HttpResponse<String> r = get(client, base + "/api/work?cpuMillis=2");
                    if (r.statusCode() != 200) {
                      failures.add("status " + r.statusCode() + ": " + r.body());
                    } else {
                      ok.incrementAndGet();
                      if (draining) {
                        okDuringDrain.incrementAndGet();
                        if (r.headers()
                            .firstValue("Connection")
                            .orElse("")
                            .equalsIgnoreCase("close")) {
                          closeHeadersDuringDrain.incrementAndGet();
                        }
                      }
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              },
              "load-" + w);
      workers.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= 20);

    long sigterm = System.nanoTime();
    app.terminate(); // SIGTERM on Linux
    HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> get(probeClient, base + "/readyz").statusCode() == 503);
    readyzOffAt.set(System.nanoTime());
    // A load balancer stops sending shortly after readiness is off; keep sending a little longer,
    // well within the
    // drain, so every request sent is one the app accepted.
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
    sending.set(false);
    for (Thread t : workers) {
      t.join(30_000);
    }
    for (CompletableFuture<Answered> f : slow) {
      Answered a = f.get(30, TimeUnit.SECONDS);
      assertThat(a.response().statusCode()).as(a.response().body()).isEqualTo(200);
      assertThat(a.response().body()).isEqualTo("{\"delayMillis\":" + SLOW_MILLIS + "}");
      assertThat(a.atNanos() - sigterm)
          .as(
              "the slow request was still in flight when the drain ended and the app stopped accepting")
          .isGreaterThan(Duration.ofSeconds(2).toNanos());
    }
    assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exits after the drain").isTrue();

    String log = app.output();
    assertThat(failures).as("failed requests; app log:%n%s", log).isEmpty();
    assertThat(okDuringDrain.get()).as("requests served while draining").isPositive();
    assertThat(closeHeadersDuringDrain.get())
        .as("responses with Connection: close while draining")
        .isPositive();
    assertThat(app.exitValue()).as(log).isZero();
    assertThat(log).contains("draining", "stopped").doesNotContain("Exception");
  }

  /** A response and when it arrived. */
  private record Answered(HttpResponse<String> response, long atNanos) {}

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
