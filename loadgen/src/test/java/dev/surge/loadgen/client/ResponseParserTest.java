package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseParserTest {
  private static final String TRAILING = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz";

  /** A response, whether it is to a HEAD, its status, keep-alive and backend once complete. */
  static Stream<Arguments> responses() {
    return Stream.of(
        Arguments.of(
            "content-length",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                + "X-Surge-Instance: pod-a\r\n\r\nhello",
            false,
            200,
            true,
            "pod-a"),
        Arguments.of(
            "chunked with extension and trailer",
            "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\nx-surge-instance:  pod-b \r\n\r\n"
                + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n",
            false,
            201,
            true,
            "pod-b"),
        Arguments.of(
            "interim 100 and 103 before the final response",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nX-Surge-Instance: pod-c\r\n\r\nno",
            false,
            404,
            true,
            "pod-c"),
        Arguments.of(
            "connection close",
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            false,
            503,
            false,
            null),
        Arguments.of(
            "HEAD: a length but no body",
            "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n",
            true,
            200,
            true,
            null),
        Arguments.of("204 has no body", "HTTP/1.1 204 No Content\r\n\r\n", false, 204, true, null),
        Arguments.of(
            "HTTP/1.0 with keep-alive",
            "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok",
            false,
            200,
            true,
            null),
        Arguments.of(
            "HTTP/1.0 without keep-alive",
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            false,
            200,
            false,
            null),
        Arguments.of(
            // The lines the parser skips in a loop rather than byte by byte (reason phrase, the
            // values of headers it does not read, folded lines, names) next to the ones it reads.
            "skipped headers: look-alike and over-long names, a folded line, mixed case",
            "HTTP/1.1 200 Fine By Me\r\nDate: Sun, 06 Dec 2026 21:18:05 GMT\r\n"
                + "X-Content-Length: 99\r\nX-Folded: a\r\n  b: Content-Length: 7\r\n"
                + "X-A-Header-Name-Longer-Than-Thirty-Two-Bytes: Connection: close\r\n"
                + "x-SURGE-instance: pod-d\r\nCONTENT-length: 3\r\n\r\nabc",
            false,
            200,
            true,
            "pod-d"),
        Arguments.of(
            "bare LF line ends, no reason phrase",
            "HTTP/1.1 200\nContent-Length: 2\n\nok",
            false,
            200,
            true,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void parsesAtEverySplitPoint(
      String name, String text, boolean head, int status, boolean keepAlive, String backend)
      throws Exception {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    for (int split = 0; split <= b.length; split++) {
      ResponseParser p = new ResponseParser();
      p.reset(head);
      int used = p.feed(b, 0, split);
      assertThat(used).as("split %d", split).isEqualTo(split);
      if (split < b.length) {
        assertThat(p.complete()).as("complete after %d of %d bytes", split, b.length).isFalse();
      }
      used += p.feed(b, split, b.length - split);
      assertThat(used).isEqualTo(b.length);
      assertThat(p.complete()).as("split %d", split).isTrue();
      assertThat(p.status()).isEqualTo(status);
      assertThat(p.keepAlive()).isEqualTo(keepAlive);
      assertThat(new BackendNames().name(p.backend(), p.backendLength())).isEqualTo(backend);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void parsesOneByteAtATime(
      String name, String text, boolean head, int status, boolean keepAlive, String backend)
      throws Exception {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    ResponseParser p = new ResponseParser();
    p.reset(head);
    for (int i = 0; i < b.length; i++) {
      assertThat(p.complete()).isFalse();
      assertThat(p.feed(b, i, 1)).isEqualTo(1);
    }
    assertThat(p.complete()).isTrue();
    assertThat(p.status()).isEqualTo(status);
  }

  @Test
  void stopsAtTheEndOfTheResponseAndIsReusable() throws Exception {
    byte[] b = (TRAILING + "EXTRA").getBytes(StandardCharsets.US_ASCII);
    ResponseParser p = new ResponseParser();
    p.reset(false);
    assertThat(p.feed(b, 0, b.length)).isEqualTo(TRAILING.length());
    assertThat(p.complete()).isTrue();
    p.reset(false);
    assertThat(p.complete()).isFalse();
    assertThat(p.started()).isFalse();
    byte[] again = TRAILING.getBytes(StandardCharsets.US_ASCII);
    p.feed(again, 0, again.length);
    assertThat(p.complete()).isTrue();
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheServerCloses() throws Exception {
    byte[] b = "HTTP/1.1 200 OK\r\n\r\nsome body".getBytes(StandardCharsets.US_ASCII);
    ResponseParser p = new ResponseParser();
    p.reset(false);
    p.feed(b, 0, b.length);
    assertThat(p.complete()).isFalse();
    assertThat(p.endOfInput()).isTrue();
    assertThat(p.keepAlive()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "HTTP/1.1 200 OK\r\nContent-Le",
        "HTTP/1.1 20",
        ""
      })
  void aServerClosingMidResponseLeavesItIncomplete(String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    ResponseParser p = new ResponseParser();
    p.reset(false);
    p.feed(b, 0, b.length);
    assertThat(p.endOfInput()).isFalse();
    assertThat(p.complete()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/2 200 OK\r\n\r\n",
        "HTTX/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "garbage\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n"
      })
  void rejectsAMalformedResponse(String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    ResponseParser p = new ResponseParser();
    p.reset(false);
    assertThatThrownBy(() -> p.feed(b, 0, b.length))
        .isInstanceOf(ResponseParser.BadResponse.class)
        .hasMessageContaining("malformed");
  }
}
