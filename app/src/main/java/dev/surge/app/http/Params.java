package dev.surge.app.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Converts request parameters and JSON fields, refusing bad values with a 400 that names the
 * parameter.
 */
public final class Params {
  private Params() {}

  /**
   * Parses {@code text} as an integer in {@code [min, max]}.
   *
   * @throws HttpProblem 400 naming {@code name} and the value when missing, not an integer or out
   *     of range
   */
  public static long integer(String name, String text, long min, long max) {
    if (text == null) {
      throw HttpProblem.badRequest(
          "missing parameter", name + " is required: an integer from " + min + " to " + max);
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below, which says what is expected
    }
    throw HttpProblem.badRequest(
        "bad parameter",
        name + " must be an integer from " + min + " to " + max + ", got '" + text + "'");
  }

  /**
   * Reads field {@code name} of a JSON object as an integer in {@code [min, max]}, or {@code
   * fallback} if absent.
   *
   * @throws HttpProblem 400 naming the field and the value when it is not an integer or out of
   *     range
   */
  public static long integer(JsonNode body, String name, long min, long max, Long fallback) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      if (fallback == null) {
        throw HttpProblem.badRequest(
            "missing field", name + " is required: an integer from " + min + " to " + max);
      }
      return fallback;
    }
    if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
      long value = node.asLong();
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw HttpProblem.badRequest(
        "bad field", name + " must be an integer from " + min + " to " + max + ", got " + node);
  }
}
