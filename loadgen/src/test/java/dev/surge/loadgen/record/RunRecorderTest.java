package dev.surge.loadgen.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RunRecorderTest {
  private static final long MS = 1_000_000L;

  @Test
  void recordsCorrectedFromIntendedAndUncorrectedFromBegin() {
    RunRecorder rec = new RunRecorder();
    rec.sent(0, 0);
    // intended at 0, went onto a connection at 900 ms, answered at 1000 ms
    rec.response(200, "pod-a", 0, 900 * MS, 1000 * MS);
    Interval i = rec.snapshot(0, 0, 1000 * MS);
    assertThat(i.corrected().getMaxValue()).isBetween(999_000L, 1_001_000L);
    assertThat(i.uncorrected().getMaxValue()).isBetween(99_900L, 100_100L);
    assertThat(i.ok()).isEqualTo(1);
    assertThat(i.inFlight()).isZero();
    assertThat(i.backends()).containsEntry("pod-a", 1L);
    assertThat(i.statusCodes()).containsEntry("200", 1L);
  }

  @Test
  void intervalsHandOutIncrementsNotTotals() {
    RunRecorder rec = new RunRecorder();
    for (int n = 0; n < 3; n++) {
      rec.sent(0, 0);
      rec.response(503, null, 0, 0, MS);
    }
    Interval first = rec.snapshot(0, 0, 1000 * MS);
    rec.sent(0, 5 * MS);
    rec.failure(ErrorKind.CONNECT_REFUSED, 0, 0, 6 * MS);
    rec.dropped();
    Interval second = rec.snapshot(0, 1000 * MS, 2000 * MS);
    assertThat(first.errors()).isEqualTo(3);
    assertThat(first.errorsByKind()).containsEntry("http_5xx", 3L);
    assertThat(first.backends()).containsEntry(RunRecorder.NO_BACKEND, 3L);
    assertThat(second.requests()).isEqualTo(2);
    assertThat(second.errors()).isEqualTo(1);
    assertThat(second.dropped()).isEqualTo(1);
    assertThat(second.late()).isEqualTo(1);
    assertThat(second.errorsByKind()).containsOnlyKeys("connect_refused");
    // A refused connect says nothing about server latency: not in the histograms.
    assertThat(second.corrected().getTotalCount()).isZero();
  }

  @Test
  void backendNamesAreBounded() {
    RunRecorder rec = new RunRecorder();
    for (int n = 0; n < RunRecorder.MAX_BACKENDS + 50; n++) {
      rec.sent(0, 0);
      rec.response(200, "pod-" + n, 0, 0, MS);
    }
    Interval i = rec.snapshot(0, 0, MS);
    assertThat(i.backends()).hasSize(RunRecorder.MAX_BACKENDS + 1);
    assertThat(i.backends()).containsEntry(RunRecorder.OTHER_BACKEND, 50L);
  }

  @Test
  void afterCloseLateOutcomesAreIgnored() {
    RunRecorder rec = new RunRecorder();
    rec.sent(0, 0);
    rec.close();
    rec.failure(ErrorKind.ABORTED, 0, 0, MS);
    assertThat(rec.snapshot(0, 0, MS).errors()).isZero();
  }

  @Test
  void classifiesTransportFailures() {
    assertThat(ErrorKind.classify(new ConnectException("Connection refused")))
        .isEqualTo(ErrorKind.CONNECT_REFUSED);
    assertThat(
            ErrorKind.classify(new ExecutionException(new ConnectException("Connection refused"))))
        .isEqualTo(ErrorKind.CONNECT_REFUSED);
    assertThat(ErrorKind.classify(new TimeoutException("Total timeout 1000 ms elapsed")))
        .isEqualTo(ErrorKind.TIMEOUT);
    assertThat(ErrorKind.classify(new SocketTimeoutException("Connect Timeout")))
        .isEqualTo(ErrorKind.CONNECT_TIMEOUT);
    assertThat(ErrorKind.classify(new EOFException())).isEqualTo(ErrorKind.RESET);
    assertThat(ErrorKind.classify(new ClosedChannelException())).isEqualTo(ErrorKind.RESET);
    assertThat(ErrorKind.classify(new java.io.IOException("Connection reset by peer")))
        .isEqualTo(ErrorKind.RESET);
    assertThat(ErrorKind.classify(new UnknownHostException("nohost")))
        .isEqualTo(ErrorKind.UNKNOWN_HOST);
    assertThat(ErrorKind.classify(new IllegalStateException("odd"))).isEqualTo(ErrorKind.OTHER);
    assertThat(ErrorKind.ofStatus(404)).isEqualTo(ErrorKind.HTTP_4XX);
    assertThat(ErrorKind.ofStatus(302)).isNull();
  }
}
