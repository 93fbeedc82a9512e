package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.loadgen.record.ErrorKind;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real Jetty server on port 0 (and a closed port for connect failures). */
class LoadClientTest {
  private static final long SECOND = 1_000_000_000L;

  /** Sends {@code n} requests intended now and waits until every outcome is recorded. */
  private static Interval send(LoadClient c, RequestTemplate t, int n, RunRecorder rec) {
    for (int i = 0; i < n; i++) {
      long now = System.nanoTime();
      rec.sent(now, now);
      c.send(t, now, rec);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> rec.inFlight() == 0);
    return rec.snapshot(0, 0, System.nanoTime());
  }

  @Test
  void recordsEachResponseWithItsStatusAndTheInstanceThatServedIt() throws Exception {
    try (TestServer server = TestServer.builder().instance("pod-a").build();
        LoadClient c = LoadClient.builder().connections(4).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/x")), 25, new RunRecorder());

      assertThat(server.requests()).isEqualTo(25);
      assertThat(i.ok()).isEqualTo(25);
      assertThat(i.errors()).isZero();
      assertThat(i.statusCodes()).isEqualTo(Map.of("200", 25L));
      assertThat(i.backends()).isEqualTo(Map.of("pod-a", 25L));
      assertThat(i.corrected().getTotalCount()).isEqualTo(25);
      assertThat(i.uncorrected().getTotalCount()).isEqualTo(25);
    }
  }

  @Test
  void countsServerErrorsByStatusClass() throws Exception {
    try (TestServer server = TestServer.builder().status(503).build();
        LoadClient c = LoadClient.builder().build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 5, new RunRecorder());

      assertThat(i.ok()).isZero();
      assertThat(i.errors()).isEqualTo(5);
      assertThat(i.errorsByKind()).isEqualTo(Map.of(ErrorKind.HTTP_5XX.key(), 5L));
      assertThat(i.statusCodes()).isEqualTo(Map.of("503", 5L));
    }
  }

  @Test
  void aRefusedConnectIsAnErrorOfItsKindWithNoLatency() {
    // Port 1 on the loopback: nothing listens there for an unprivileged test.
    try (LoadClient c = LoadClient.builder().build()) {
      Interval i = send(c, RequestTemplate.get("http://127.0.0.1:1/"), 3, new RunRecorder());

      assertThat(i.errors()).isEqualTo(3);
      assertThat(i.errorsByKind()).isEqualTo(Map.of(ErrorKind.CONNECT_REFUSED.key(), 3L));
      assertThat(i.corrected().getTotalCount()).isZero();
    }
  }

  @Test
  void aRequestOverItsTimeoutIsATimeoutWhoseLatencyIsRecorded() throws Exception {
    try (TestServer server = TestServer.builder().delayMillis(5_000).build();
        LoadClient c = LoadClient.builder().requestTimeoutMillis(200).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 2, new RunRecorder());

      assertThat(i.errorsByKind()).isEqualTo(Map.of(ErrorKind.TIMEOUT.key(), 2L));
      assertThat(i.corrected().getTotalCount()).isEqualTo(2);
      assertThat(i.corrected().getMinValue()).isGreaterThanOrEqualTo(190_000); // µs
    }
  }

  @Test
  void correctedLatencyCountsFromTheIntendedTimeUncorrectedFromTheSend() throws Exception {
    try (TestServer server = TestServer.builder().build();
        LoadClient c = LoadClient.builder().build()) {
      RunRecorder rec = new RunRecorder();
      long now = System.nanoTime();
      long intended = now - 2 * SECOND; // the request was due two seconds ago
      rec.sent(intended, now);
      c.send(RequestTemplate.get(server.url("/")), intended, rec);
      await().atMost(Duration.ofSeconds(30)).until(() -> rec.inFlight() == 0);
      Interval i = rec.snapshot(0, 0, System.nanoTime());

      assertThat(i.ok()).isEqualTo(1);
      assertThat(i.corrected().getMinValue()).isGreaterThanOrEqualTo(2_000_000);
      assertThat(i.uncorrected().getMaxValue()).isLessThan(2_000_000);
      assertThat(i.late()).isEqualTo(1);
    }
  }

  @Test
  void neverOpensMoreConnectionsThanItsCap() throws Exception {
    try (TestServer server = TestServer.builder().delayMillis(50).build();
        LoadClient c = LoadClient.builder().connections(2).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 40, new RunRecorder());

      assertThat(i.ok()).isEqualTo(40);
      assertThat(server.connections()).isBetween(1, 2);
    }
  }

  @Test
  void speaksHttp2ClearTextWhenAsked() throws Exception {
    try (TestServer server = TestServer.builder().h2c().build();
        LoadClient c = LoadClient.builder().http2(true).connections(1).build()) {
      Interval i = send(c, RequestTemplate.get(server.url("/")), 10, new RunRecorder());

      assertThat(i.ok()).isEqualTo(10);
      assertThat(server.versions()).containsExactly("HTTP/2.0");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "https://127.0.0.1:8443/",
        "HTTPS://127.0.0.1:8443/",
        "http://127.0.0.1:8080/ https://127.0.0.1:8443/"
      })
  void anHttpsTargetNeverGetsTheLeanTransport(String targets) {
    List<URI> uris = Arrays.stream(targets.split(" ")).map(URI::create).toList();
    try (LoadClient c = LoadClient.builder().transport(Transport.AUTO).targets(uris).build()) {
      assertThat(c.transport()).isEqualTo(Transport.JETTY);
    }
    assertThatThrownBy(() -> LoadClient.builder().transport(Transport.LEAN).targets(uris).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'lean' speaks plain http:// only, got ");
  }

  @Test
  void autoWithoutKnownTargetsIsJettyAndWithPlainHttpTargetsIsLean() {
    try (LoadClient c = LoadClient.builder().transport(Transport.AUTO).build()) {
      assertThat(c.transport()).isEqualTo(Transport.JETTY);
    }
    try (LoadClient c =
        LoadClient.builder()
            .transport(Transport.AUTO)
            .targets(List.of(URI.create("http://127.0.0.1:8080/")))
            .build()) {
      assertThat(c.transport()).isEqualTo(Transport.LEAN);
    }
  }

  @Test
  void aSendAfterCloseIsRecordedAsAFailureNotThrown() {
    LoadClient c = LoadClient.builder().build();
    c.close();
    RunRecorder rec = new RunRecorder();
    Interval i = send(c, RequestTemplate.get("http://127.0.0.1:1/"), 1, rec);

    assertThat(i.errors()).isEqualTo(1);
    assertThat(rec.inFlight()).isZero();
  }
}
