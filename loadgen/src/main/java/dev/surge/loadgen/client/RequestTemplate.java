package dev.surge.loadgen.client;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * One kind of request a run sends: method, absolute http(s) URI, extra headers and an optional
 * body. Immutable and shared by every send of that kind.
 *
 * @param headers header lines as name/value pairs
 * @param body request body bytes, or null for none
 * @param contentType content type of the body (default {@code application/json} when a body is
 *     given)
 */
public record RequestTemplate(
    String method, URI uri, List<Header> headers, byte[] body, String contentType) {

  /** One request header. */
  public record Header(String name, String value) {
    /**
     * Parses {@code Name: value}.
     *
     * @throws IllegalArgumentException when there is no colon or no name
     */
    public static Header parse(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("'" + line + "' is not a header (use 'Name: value')");
      }
      return new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
  }

  public RequestTemplate {
    method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A GET of the URL. */
  public static RequestTemplate get(String url) {
    return new RequestTemplate("GET", parseUrl(url), List.of(), null, null);
  }

  /**
   * Checks that the text is an absolute http or https URL with a host.
   *
   * @throws IllegalArgumentException naming the URL and what is wrong with it
   */
  public static URI parseUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("empty URL (e.g. http://127.0.0.1:8080/api/work)");
    }
    URI u;
    try {
      u = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getMessage(), e);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    return u;
  }

  /** Short text for plans and logs, e.g. {@code GET http://127.0.0.1:8080/api/work}. */
  public String describe() {
    return method + " " + uri + (body == null ? "" : " (" + body.length + " bytes body)");
  }
}
