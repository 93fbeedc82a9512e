package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestEncoderTest {
  @Test
  void encodesAGet() {
    String s =
        new String(
            RequestEncoder.encode(
                RequestTemplate.get("http://127.0.0.1:8080/api/work?x=1"), "ua/1"),
            StandardCharsets.UTF_8);
    assertThat(s)
        .isEqualTo(
            "GET /api/work?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: ua/1\r\n\r\n");
  }

  @Test
  void encodesHeadersAndABody() {
    RequestTemplate t =
        new RequestTemplate(
            "post",
            URI.create("http://example.test"),
            List.of(
                new RequestTemplate.Header("X-A", "1"), new RequestTemplate.Header("Host", "h")),
            "{}".getBytes(StandardCharsets.UTF_8),
            null);
    String s = new String(RequestEncoder.encode(t, "ua"), StandardCharsets.UTF_8);
    assertThat(s)
        .isEqualTo(
            "POST / HTTP/1.1\r\nUser-Agent: ua\r\nX-A: 1\r\nHost: h\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  }
}
