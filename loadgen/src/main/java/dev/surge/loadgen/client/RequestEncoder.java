package dev.surge.loadgen.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link RequestTemplate} once into the exact HTTP/1.1 bytes the lean transport writes
 * for every request of that kind: request line, {@code Host}, {@code User-Agent}, the template's
 * headers, and for a body its {@code Content-Type} and {@code Content-Length}.
 */
final class RequestEncoder {
  private RequestEncoder() {}

  static byte[] encode(RequestTemplate t, String userAgent) {
    URI u = t.uri();
    StringBuilder s = new StringBuilder(128);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    s.append(t.method()).append(' ').append(path);
    if (u.getRawQuery() != null) {
      s.append('?').append(u.getRawQuery());
    }
    s.append(" HTTP/1.1\r\n");
    boolean host = false;
    boolean agent = false;
    for (RequestTemplate.Header h : t.headers()) {
      host |= h.name().equalsIgnoreCase("Host");
      agent |= h.name().equalsIgnoreCase("User-Agent");
    }
    if (!host) {
      s.append("Host: ").append(u.getHost());
      if (u.getPort() > 0 && u.getPort() != 80) {
        s.append(':').append(u.getPort());
      }
      s.append("\r\n");
    }
    if (!agent) {
      s.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    for (RequestTemplate.Header h : t.headers()) {
      s.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (t.body() != null) {
      s.append("Content-Type: ")
          .append(t.contentType() == null ? "application/json" : t.contentType())
          .append("\r\n");
      s.append("Content-Length: ").append(t.body().length).append("\r\n");
    } else if (t.method().equals("POST") || t.method().equals("PUT")) {
      s.append("Content-Length: 0\r\n");
    }
    s.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
    out.writeBytes(s.toString().getBytes(StandardCharsets.UTF_8));
    if (t.body() != null) {
      out.writeBytes(t.body());
    }
    return out.toByteArray();
  }
}
