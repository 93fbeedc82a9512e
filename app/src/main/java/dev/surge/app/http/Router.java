package dev.surge.app.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps method + path to a route template and its endpoint. The template is the {@code route} label,
 * so label values are bounded by construction: every path the router does not know maps to {@link
 * #UNMATCHED}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .route("GET", "/api/work", work)
 *     .route("GET", "/delay/{millis}", delay)
 *     .build();
 * Router.Match m = router.match("GET", "/delay/250"); // template "/delay/{millis}", pathParam "250"
 * }</pre>
 *
 * <p>A template is either a fixed path or a fixed prefix followed by one {@code {name}} segment.
 * {@code HEAD} is answered wherever {@code GET} is.
 */
public final class Router {
  /** The route label of every path the router does not know. */
  public static final String UNMATCHED = "unmatched";

  private final List<String> templates;
  private final Map<String, Route> exact;
  private final Map<String, Route> prefixed;
  private final int unmatchedIndex;

  private Router(List<Route> routes) {
    templates = new ArrayList<>();
    exact = new HashMap<>();
    prefixed = new HashMap<>();
    for (Route r : routes) {
      templates.add(r.template);
      if (r.prefix == null) {
        exact.put(r.template, r);
      } else {
        prefixed.put(r.prefix, r);
      }
    }
    unmatchedIndex = templates.size();
    templates.add(UNMATCHED);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every route label value, in index order; the last is {@link #UNMATCHED}. */
  public List<String> templates() {
    return List.copyOf(templates);
  }

  /** Finds the route and endpoint for a request; never null. */
  public Match match(String method, String path) {
    Route route = exact.get(path);
    String param = null;
    if (route == null) {
      // Only the last segment may be a parameter, so the prefix is the path up to its last '/'.
      int slash = path.lastIndexOf('/');
      if (slash > 0 && slash < path.length() - 1) {
        route = prefixed.get(path.substring(0, slash + 1));
        param = path.substring(slash + 1);
      }
    }
    if (route == null) {
      return new Match(unmatchedIndex, UNMATCHED, null, null, null);
    }
    Endpoint endpoint = route.endpoints.get(method);
    if (endpoint == null && "HEAD".equals(method)) {
      endpoint = route.endpoints.get("GET");
    }
    return new Match(
        route.index, route.template, endpoint, param, endpoint == null ? route.allow : null);
  }

  /**
   * The outcome of matching one request.
   *
   * @param routeIndex index of {@code template} in {@link #templates()}
   * @param template the route label
   * @param endpoint what answers the request; null when the path is unknown (404) or the method is
   *     not allowed (405)
   * @param pathParam the {@code {...}} segment's value, or null
   * @param allow the {@code Allow} header value for a 405, else null
   */
  public record Match(
      int routeIndex, String template, Endpoint endpoint, String pathParam, String allow) {
    public boolean isUnmatched() {
      return UNMATCHED.equals(template);
    }
  }

  private static final class Route {
    final int index;
    final String template;
    final String prefix;
    final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    String allow;

    Route(int index, String template) {
      this.index = index;
      this.template = template;
      int brace = template.indexOf('{');
      if (brace < 0) {
        prefix = null;
      } else {
        if (template.charAt(brace - 1) != '/'
            || !template.endsWith("}")
            || brace != template.lastIndexOf('{')) {
          throw new IllegalArgumentException(
              "only the last segment may be a {parameter}: " + template);
        }
        prefix = template.substring(0, brace);
      }
    }
  }

  /** Collects routes; one template may be added once per method. */
  public static final class Builder {
    private final Map<String, Route> routes = new LinkedHashMap<>();

    private Builder() {}

    /** Answers {@code method} on {@code template} with {@code endpoint}. */
    public Builder route(String method, String template, Endpoint endpoint) {
      if (UNMATCHED.equals(template) || !template.startsWith("/")) {
        throw new IllegalArgumentException("a template starts with '/': " + template);
      }
      Route route = routes.computeIfAbsent(template, t -> new Route(routes.size(), t));
      if (route.endpoints.putIfAbsent(method, endpoint) != null) {
        throw new IllegalArgumentException(method + " " + template + " is already routed");
      }
      return this;
    }

    public Router build() {
      for (Route r : routes.values()) {
        Set<String> allowed = new TreeSet<>(r.endpoints.keySet());
        if (allowed.contains("GET")) {
          allowed.add("HEAD");
        }
        r.allow = String.join(", ", allowed);
      }
      return new Router(List.copyOf(routes.values()));
    }
  }
}
