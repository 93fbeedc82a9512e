package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.testing.RawHttpServer;
import dev.surge.loadgen.testing.RawHttpServer.Answer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lean transport over real sockets on 127.0.0.1: reuse, recycling, and every failure kind. */
class LeanTransportIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static LoadClient.Builder lean(int connections) {
    return LoadClient.builder().transport(Transport.LEAN).connections(connections).loops(1);
  }

  /** Sends n requests with at most maxInFlight outstanding and returns the recorded totals. */
  private static Interval send(LoadClient c, RequestTemplate t, int n, int maxInFlight)
      throws InterruptedException {
    RunRecorder rec = new RunRecorder();
    Semaphore slots = new Semaphore(maxInFlight);
    for (int i = 0; i < n; i++) {
      assertThat(slots.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a hang").isTrue();
      long now = System.nanoTime();
      rec.sent(now, now);
      c.send(t, now, rec, slots::release);
    }
    assertThat(slots.tryAcquire(maxInFlight, WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("a hang")
        .isTrue();
    assertThat(rec.inFlight()).isZero();
    return rec.snapshot(0, 0, 0);
  }

  @Test
  void reusesKeepAliveConnections() throws Exception {
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.of(RawHttpServer.OK));
        LoadClient c = lean(2).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/a")), 300, 2);
      assertThat(i.ok()).isEqualTo(300);
      assertThat(i.backends()).containsEntry("raw", 300L);
      assertThat(server.requests()).isEqualTo(300);
      // Opened on demand, never more than the cap, then reused for all 300.
      assertThat(server.connections()).isBetween(1, 2);
      assertThat(c.connectionsOpened()).isEqualTo(server.connections());
      assertThat(c.transport()).isEqualTo(Transport.LEAN);
    }
  }

  @Test
  void retiresConnectionsByAge() throws Exception {
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.of(RawHttpServer.OK));
        LoadClient c = lean(1).maxConnectionAgeMillis(50).build()) {
      RequestTemplate t = RequestTemplate.get(server.url("/"));
      // Back to back until a few replacements happened (bounded in count and time); without
      // recycling the one connection would carry them all.
      long end = System.nanoTime() + WAIT.toNanos();
      int sent = 0;
      while (server.connections() < 4 && sent < 200_000 && System.nanoTime() < end) {
        assertThat(send(c, t, 50, 1).ok()).isEqualTo(50);
        sent += 50;
      }
      assertThat(server.connections()).isGreaterThanOrEqualTo(4);
      assertThat(server.requests()).isEqualTo(sent);
      assertThat(c.connectionsOpened()).isEqualTo(server.connections());
    }
  }

  @Test
  void connectionCloseOpensANewConnectionPerResponse() throws Exception {
    try (RawHttpServer server =
            new RawHttpServer(
                (n, req) ->
                    Answer.thenClose(
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
        LoadClient c = lean(1).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 20, 1);
      assertThat(i.ok()).isEqualTo(20);
      assertThat(server.connections()).isEqualTo(20);
    }
  }

  @Test
  void parsesSplitChunkedInterimAndUnlengthedResponsesOverTheWire() throws Exception {
    List<Answer> answers =
        List.of(
            Answer.byteByByte(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    + "X-Surge-Instance: chunky\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
            Answer.of("HTTP/1.1 204 No Content\r\nX-Surge-Instance: chunky\r\n\r\n"),
            Answer.thenClose("HTTP/1.1 500 Oops\r\nX-Surge-Instance: chunky\r\n\r\nuntil close"));
    try (RawHttpServer server =
            new RawHttpServer((n, req) -> answers.get((int) Math.min(n, answers.size() - 1)));
        LoadClient c = lean(1).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 3, 1);
      assertThat(i.statusCodes()).containsEntry("200", 1L).containsEntry("204", 1L);
      assertThat(i.statusCodes()).containsEntry("500", 1L);
      assertThat(i.errorsByKind()).containsEntry("http_5xx", 1L);
      assertThat(i.backends()).containsEntry("chunky", 3L);
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void headResponsesHaveNoBodyAndKeepTheConnection() throws Exception {
    try (RawHttpServer server =
            new RawHttpServer(
                (n, req) ->
                    Answer.of(
                        req.startsWith("HEAD ")
                            ? "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
                            : "HTTP/1.1 405 No\r\nContent-Length: 0\r\n\r\n"));
        LoadClient c = lean(1).build()) {
      RequestTemplate head =
          new RequestTemplate(
              "HEAD", RequestTemplate.parseUrl(server.url("/")), List.of(), null, null);
      Interval i = send(c, head, 10, 1);
      assertThat(i.statusCodes()).containsEntry("200", 10L);
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void aServerClosingMidResponseIsAReset() throws Exception {
    try (RawHttpServer server =
            new RawHttpServer(
                (n, req) -> Answer.thenClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        LoadClient c = lean(1).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 5, 1);
      assertThat(i.errorsByKind()).containsEntry("reset", 5L);
      assertThat(i.ok()).isZero();
    }
  }

  @Test
  void aMalformedStatusLineIsOther() throws Exception {
    try (RawHttpServer server =
            new RawHttpServer((n, req) -> Answer.of("HTTP/1.1 OK 200\r\n\r\n"));
        LoadClient c = lean(1).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 3, 1);
      assertThat(i.errorsByKind()).containsEntry("other", 3L);
      // A connection that spoke garbage is never reused.
      assertThat(server.connections()).isEqualTo(3);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.never());
        LoadClient c = lean(2).requestTimeoutMillis(300).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 4, 4);
      assertThat(i.errorsByKind()).containsEntry("timeout", 4L);
      // Timed-out requests record their latency: at least the timeout.
      assertThat(i.corrected().getMinValue()).isGreaterThanOrEqualTo(290_000L);
    }
  }

  @Test
  void zeroTimeoutsMeanNone() throws Exception {
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.of(RawHttpServer.OK));
        LoadClient c =
            lean(1).requestTimeoutMillis(0).connectTimeoutMillis(0).idleTimeoutMillis(0).build()) {
      assertThat(send(c, RequestTemplate.get(server.url("/")), 20, 1).ok()).isEqualTo(20);
    }
  }

  @Test
  void nothingListeningIsConnectRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    try (LoadClient c = lean(4).build()) {
      Interval i = send(c, RequestTemplate.get("http://127.0.0.1:" + port + "/"), 20, 8);
      assertThat(i.errorsByKind()).containsEntry("connect_refused", 20L);
    }
  }

  @Test
  void anUnknownHostIsReported() throws Exception {
    try (LoadClient c = lean(1).build()) {
      Interval i = send(c, RequestTemplate.get("http://no-such-host.invalid/"), 2, 1);
      assertThat(i.errorsByKind()).containsEntry("unknown_host", 2L);
    }
  }

  @Test
  void completionRunsOnceAfterEveryOutcome() throws Exception {
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.of(RawHttpServer.OK));
        LoadClient c = lean(1).build()) {
      RunRecorder rec = new RunRecorder();
      AtomicInteger done = new AtomicInteger();
      RequestTemplate t = RequestTemplate.get(server.url("/"));
      for (int i = 0; i < 10; i++) {
        long now = System.nanoTime();
        rec.sent(now, now);
        c.send(t, now, rec, done::incrementAndGet);
      }
      await().atMost(WAIT).until(() -> done.get() == 10);
      assertThat(rec.snapshot(0, 0, 0).ok()).isEqualTo(10);
    }
  }

  @Test
  void closingAbortsWhatIsInFlight() throws Exception {
    RunRecorder rec = new RunRecorder();
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.never())) {
      LoadClient c = lean(2).build();
      RequestTemplate t = RequestTemplate.get(server.url("/"));
      for (int i = 0; i < 5; i++) {
        long now = System.nanoTime();
        rec.sent(now, now);
        c.send(t, now, rec);
      }
      await().atMost(WAIT).until(() -> server.requests() == 2);
      c.close();
      assertThat(rec.inFlight()).isZero();
      assertThat(rec.snapshot(0, 0, 0).errorsByKind()).containsEntry("aborted", 5L);
    }
  }

  @Test
  void aBugOnTheLoopPrintsItsTraceAndFailsWhatIsInFlight() throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    LeanTransport.Settings s = new LeanTransport.Settings();
    s.connections = 2;
    s.loops = 1;
    s.maxQueued = 16;
    s.connectTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
    s.requestTimeoutNanos = TimeUnit.SECONDS.toNanos(30);
    s.userAgent = "test";
    s.clock = System::nanoTime;
    s.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
    try (RawHttpServer server = new RawHttpServer((n, req) -> Answer.of(RawHttpServer.OK));
        LeanTransport t = new LeanTransport(s)) {
      RunRecorder rec = new RunRecorder();
      long now = System.nanoTime();
      rec.sent(now, now);
      t.send(
          RequestTemplate.get(server.url("/")),
          now,
          rec,
          () -> {
            throw new IllegalStateException("a bug in a completion");
          });
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                      .contains("a bug in surge-loadgen")
                      .contains("java.lang.IllegalStateException: a bug in a completion")
                      .contains("\tat dev.surge.loadgen.client.LeanLoop"));
    }
  }
}
