package dev.surge.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the app, and the error body shape every 4xx/5xx uses. */
public final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  /** Serializes {@code body} (a record, map or node) to UTF-8 JSON. */
  public static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Only the app's own records and maps are written, so this is a programming error, not bad
      // input.
      throw new UncheckedIOException("cannot write JSON for " + body.getClass().getName(), e);
    }
  }

  /** {@code {"error": error, "detail": detail}}, in that order. */
  public static Map<String, String> error(String error, String detail) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("detail", detail);
    return body;
  }
}
