package dev.surge.loadgen.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.surge.loadgen.output.ResultWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shard 0's endpoints, served beside {@code /metrics} on its metrics port:
 *
 * <ul>
 *   <li>{@code POST /shards/join} {@code {"index":1,"count":3,"profile":"..."}} — a shard is ready;
 *       the answer {@code {"start":"<ISO instant>"|null}} carries the start once every shard has
 *       joined (shards poll);
 *   <li>{@code POST /shards/result} a {@link ShardReport} — a shard's result;
 *   <li>{@code GET /shards/result} — the merged result JSON once it exists (404 before);
 *   <li>{@code GET /shards} — who joined, the start, whose results are in.
 * </ul>
 *
 * Bad input gets a 4xx with {@code {"error":..., "detail":...}}. Called concurrently by the
 * server's threads; the state lives in the thread-safe {@link Rendezvous}.
 */
final class CoordinatorHandler implements HttpHandler {
  /** The endpoints' path prefix. */
  static final String BASE = "/shards";

  /** A shard result larger than this is refused (a day of intervals is a few MB). */
  static final int MAX_BODY_BYTES = 64 << 20;

  private static final ObjectMapper JSON = ResultWriter.JSON;

  private final Rendezvous rendezvous;

  CoordinatorHandler(Rendezvous rendezvous) {
    this.rendezvous = rendezvous;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case BASE -> {
          if (allow(ex, "GET")) {
            send(ex, 200, JSON.writeValueAsBytes(rendezvous.status()));
          }
        }
        case BASE + "/join" -> {
          if (allow(ex, "POST")) {
            join(ex);
          }
        }
        case BASE + "/result" -> {
          if ("GET".equals(method)) {
            String merged = rendezvous.merged();
            if (merged == null) {
              error(ex, 404, "no merged result yet", "shard 0 merges when every shard is done");
            } else {
              send(ex, 200, merged.getBytes(StandardCharsets.UTF_8));
            }
          } else if (allow(ex, "POST")) {
            result(ex);
          }
        }
        default -> error(ex, 404, "not found", path + " (try " + BASE + " or /metrics)");
      }
    }
  }

  private void join(HttpExchange ex) throws IOException {
    JsonNode body = body(ex);
    if (body == null) {
      return;
    }
    if (!body.path("index").isInt() || !body.path("count").isInt() || !body.has("profile")) {
      error(ex, 400, "bad join", "expected {\"index\":int,\"count\":int,\"profile\":string}");
      return;
    }
    Instant start;
    try {
      start =
          rendezvous.join(
              body.path("index").asInt(),
              body.path("count").asInt(),
              body.path("profile").asText());
    } catch (IllegalArgumentException e) {
      error(ex, 409, "cannot join", e.getMessage());
      return;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("start", start == null ? null : start.toString());
    send(ex, 200, JSON.writeValueAsBytes(answer));
  }

  private void result(HttpExchange ex) throws IOException {
    JsonNode body = body(ex);
    if (body == null) {
      return;
    }
    ShardReport report;
    try {
      report = JSON.treeToValue(body, ShardReport.class);
    } catch (IOException | IllegalArgumentException e) {
      error(ex, 400, "bad result", e.getMessage());
      return;
    }
    try {
      rendezvous.report(report);
    } catch (IllegalArgumentException e) {
      error(ex, 409, "result refused", e.getMessage());
      return;
    }
    send(ex, 200, JSON.writeValueAsBytes(Map.of("received", report.index())));
  }

  /** The request body as JSON, or null after answering 400/413. */
  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      error(ex, 413, "too large", "a request body is at most " + MAX_BODY_BYTES + " bytes");
      return null;
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        error(ex, 400, "bad body", "expected a JSON object");
        return null;
      }
      return n;
    } catch (IOException e) {
      error(ex, 400, "bad body", "not JSON: " + e.getMessage());
      return null;
    }
  }

  private static boolean allow(HttpExchange ex, String method) throws IOException {
    if (method.equals(ex.getRequestMethod())) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", method);
    error(
        ex, 405, "method not allowed", ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
    return false;
  }

  private static void error(HttpExchange ex, int status, String error, String detail)
      throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("detail", detail);
    send(ex, status, JSON.writeValueAsBytes(m));
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
