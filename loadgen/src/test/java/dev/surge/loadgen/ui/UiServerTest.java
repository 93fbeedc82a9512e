package dev.surge.loadgen.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.loadgen.events.RunEvent;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live page's event stream over real HTTP on port 0. */
class UiServerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();
  private UiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A browser: reads the stream on a thread of its own, keeping each frame's event and data. */
  private final class Reader {
    final List<String> frames = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    Reader() throws Exception {
      HttpResponse<Stream<String>> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + "events")).build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream; charset=utf-8");
      Thread t =
          new Thread(
              () -> {
                String[] event = {""};
                try (Stream<String> lines = r.body()) {
                  lines.forEach(
                      line -> {
                        if (line.startsWith("event: ")) {
                          event[0] = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                          frames.add(event[0] + " " + line.substring(6));
                        }
                      });
                } catch (RuntimeException e) {
                  // the server closed the stream
                }
                closed = true;
              },
              "test-sse-reader");
      t.setDaemon(true);
      t.start();
    }
  }

  @Test
  void aLateBrowserFirstReceivesTheHistoryThenTheLiveFrames() throws Exception {
    server = UiServer.builder().build();
    server.hub().broadcast("hello", "{\"n\":0}");
    server.hub().broadcast("interval", "{\"n\":1}");
    server.hub().broadcast("interval", "{\"n\":2}");
    Reader late = new Reader();
    await().atMost(PATIENCE).until(() -> late.frames.size() == 3);
    server.hub().broadcast("interval", "{\"n\":3}");
    await().atMost(PATIENCE).until(() -> late.frames.size() == 4);
    assertThat(late.frames)
        .containsExactly(
            "hello {\"n\":0}", "interval {\"n\":1}", "interval {\"n\":2}", "interval {\"n\":3}");
  }

  @Test
  void theEndOfTheRunIsTheLastFrameAndEndsEveryStreamAlsoForABrowserThatComesAfterIt()
      throws Exception {
    server = UiServer.builder().build();
    Reader early = new Reader();
    server.started(Map.of("config", Map.of("url", "http://127.0.0.1:1/")));
    server.events().publish(new RunEvent(1.5, RunEvent.Kind.POD, "surge-x", "ready"));
    server.ended(
        new RunResult(
            "surge-loadgen",
            "0",
            "2026-01-01T00:00:00Z",
            Map.of(),
            null,
            List.of(),
            new Checks(true, false, null, List.of())));
    await().atMost(PATIENCE).until(() -> early.closed);
    assertThat(early.frames).hasSize(3);
    assertThat(early.frames.get(0)).startsWith("hello ");
    assertThat(early.frames.get(1))
        .isEqualTo(
            "event {\"t\":1.5,\"kind\":\"pod\",\"subject\":\"surge-x\",\"message\":\"ready\"}");
    assertThat(early.frames.get(2)).startsWith("end ").contains("\"passed\":true");
    assertThat(server.hub().ended()).isTrue();

    Reader after = new Reader();
    await().atMost(PATIENCE).until(() -> after.closed);
    assertThat(after.frames).isEqualTo(early.frames);
    // nothing is published after the end
    server.hub().broadcast("interval", "{}");
    assertThat(server.hub().historySize()).isEqualTo(3);
  }

  @Test
  void aStalledBrowserIsDroppedWhileAReadingOneKeepsEveryFrame() throws Exception {
    server = UiServer.builder().clientQueue(8).build();
    Reader reading = new Reader();
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      OutputStream o = stalled.getOutputStream();
      o.write(
          "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      await().atMost(PATIENCE).until(() -> server.clients() == 2);
      // The stalled socket never reads: once its buffers are full its writer blocks, its queue of
      // 8 frames fills, and the next frame drops it. 64 KiB frames, bounded: 1 000 of them at most.
      String payload = "{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
      int sent = 0;
      while (server.evictions() == 0 && sent < 1000) {
        server.hub().broadcast("interval", payload);
        sent++;
        int expected = sent;
        // Paced by the reading browser, so that only the stalled one can fall behind.
        await().atMost(PATIENCE).until(() -> reading.frames.size() >= expected);
      }
      assertThat(server.evictions()).as("dropped after %d frames", sent).isEqualTo(1);
      assertThat(server.clients()).isEqualTo(1);
      server.hub().broadcast("interval", "{\"after\":true}");
      int all = sent + 1;
      await().atMost(PATIENCE).until(() -> reading.frames.size() == all);
      assertThat(reading.frames.get(all - 1)).isEqualTo("interval {\"after\":true}");
      assertThat(reading.closed).isFalse();
    }
  }

  @Test
  void aBrowserThatGoesAwayIsForgottenAndPublishingGoesOn() throws Exception {
    server = UiServer.builder().build();
    try (Socket gone = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      gone.getOutputStream()
          .write(
              "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      await().atMost(PATIENCE).until(() -> server.clients() == 1);
    }
    // Its writer notices at the next frames (the write fails) and leaves; nobody else is touched.
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              server.hub().broadcast("interval", "{}");
              return server.clients() == 0;
            });
    assertThat(server.evictions()).isZero();
    Reader next = new Reader();
    await().atMost(PATIENCE).until(() -> !next.frames.isEmpty());
  }

  @Test
  void servesThePageWithItsAssetsInlineAndAnswersOtherPathsWithJson404() throws Exception {
    server = UiServer.builder().build();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("\"mode\":\"live\"")
        .contains("uPlot")
        .contains("window.surgeUi");
    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "nope")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .contains("\"error\":\"not found\"")
        .contains("/nope: the page is at / and its stream at /events");
  }

  @Test
  void theOffViewDoesNothing() {
    LiveView off = LiveView.off();
    off.started(Map.of());
    off.interval(null);
    off.events().publish(new RunEvent(0, RunEvent.Kind.RUN, "", "x"));
    off.close();
    assertThat(off.url()).isEmpty();
  }
}
