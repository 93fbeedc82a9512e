package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal Kubernetes API server on 127.0.0.1, port 0, that answers the real {@code kubectl} from
 * a {@link FixtureCluster}: legacy discovery ({@code /api}, {@code /apis}, {@code
 * /apis/<group>/<version>}), {@code /version}, and get/list of the resources the doctor reads, with
 * {@code labelSelector} and a {@code Status} 404 for an absent object, as the real one does. A
 * resource left out of {@code served} is not in discovery ("the server doesn't have a resource
 * type").
 *
 * <p>Start with {@link #start}, close to stop; the JDK server's own threads serve it.
 */
final class FakeApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A served resource: group ("" for core), version, plural, kind, namespaced. */
  record Resource(String group, String version, String plural, String kind, boolean namespaced) {
    /** The name the doctor reads it by ({@code prometheuses.monitoring.coreos.com}). */
    String qualified() {
      return group.isEmpty() ? plural : plural + "." + group;
    }
  }

  static final List<Resource> ALL =
      List.of(
          new Resource("", "v1", "namespaces", "Namespace", false),
          new Resource("", "v1", "pods", "Pod", true),
          new Resource("", "v1", "events", "Event", true),
          new Resource("", "v1", "secrets", "Secret", true),
          new Resource("apps", "v1", "deployments", "Deployment", true),
          new Resource("apiregistration.k8s.io", "v1", "apiservices", "APIService", false),
          new Resource(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false),
          new Resource("monitoring.coreos.com", "v1", "prometheuses", "Prometheus", true),
          new Resource("monitoring.coreos.com", "v1", "alertmanagers", "Alertmanager", true));

  private final HttpServer server;
  private final FixtureCluster cluster;
  private final List<Resource> served;

  private FakeApiServer(HttpServer server, FixtureCluster cluster, List<Resource> served) {
    this.server = server;
    this.cluster = cluster;
    this.served = served;
  }

  static FakeApiServer start(FixtureCluster cluster, List<Resource> served) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    FakeApiServer api = new FakeApiServer(http, cluster, List.copyOf(served));
    http.createContext("/", api::handle);
    http.start();
    return api;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      Optional<JsonNode> body = answer(path, query);
      if (body.isPresent()) {
        send(ex, 200, body.get());
      } else {
        send(ex, 404, notFound(path));
      }
    }
  }

  private Optional<JsonNode> answer(String path, Map<String, String> query) {
    if (path.equals("/version")) {
      return Optional.of(
          JSON.createObjectNode()
              .put("major", "1")
              .put("minor", "33")
              .put("gitVersion", cluster.serverVersion())
              .put("platform", "linux/amd64"));
    }
    if (path.equals("/api")) {
      ObjectNode v = JSON.createObjectNode().put("kind", "APIVersions");
      v.putArray("versions").add("v1");
      v.putArray("serverAddressByClientCIDRs")
          .addObject()
          .put("clientCIDR", "0.0.0.0/0")
          .put("serverAddress", server.getAddress().getHostString());
      return Optional.of(v);
    }
    if (path.equals("/apis")) {
      ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
      ArrayNode groups = list.putArray("groups");
      served.stream()
          .filter(r -> !r.group().isEmpty())
          .map(r -> r.group() + "/" + r.version())
          .distinct()
          .forEach(
              gv -> {
                String[] p = gv.split("/");
                ObjectNode g = groups.addObject().put("name", p[0]);
                ObjectNode version =
                    JSON.createObjectNode().put("groupVersion", gv).put("version", p[1]);
                g.putArray("versions").add(version);
                g.set("preferredVersion", version);
              });
      return Optional.of(list);
    }
    if (path.equals("/api/v1")) {
      return Optional.of(resourceList("v1", ""));
    }
    String[] parts = path.replaceFirst("^/", "").split("/");
    if (parts[0].equals("apis") && parts.length == 3) {
      return Optional.of(resourceList(parts[1] + "/" + parts[2], parts[1]));
    }
    // /api/v1/... or /apis/<g>/<v>/...: [namespaces/<ns>/]<plural>[/<name>]
    int i = parts[0].equals("api") ? 2 : 3;
    String group = parts[0].equals("api") ? "" : parts[1];
    String namespace = null;
    if (parts.length > i + 2 && parts[i].equals("namespaces")) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return Optional.empty();
    }
    String plural = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    Optional<Resource> resource =
        served.stream()
            .filter(r -> r.group().equals(group) && r.plural().equals(plural))
            .findFirst();
    if (resource.isEmpty()) {
      return Optional.empty();
    }
    String qualified = resource.get().qualified();
    if (name != null) {
      return cluster.get(qualified, namespace, name);
    }
    ObjectNode list =
        JSON.createObjectNode()
            .put("apiVersion", (group.isEmpty() ? "" : group + "/") + resource.get().version())
            .put("kind", resource.get().kind() + "List");
    list.putObject("metadata").put("resourceVersion", "1");
    ArrayNode items = list.putArray("items");
    cluster.list(qualified, namespace, query.get("labelSelector")).forEach(items::add);
    return Optional.of(list);
  }

  private ObjectNode resourceList(String groupVersion, String group) {
    ObjectNode list =
        JSON.createObjectNode().put("kind", "APIResourceList").put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (Resource r : served) {
      if (r.group().equals(group)
          && (group.isEmpty() ? "v1" : group + "/" + r.version()).equals(groupVersion)) {
        ObjectNode o =
            resources
                .addObject()
                .put("name", r.plural())
                .put("singularName", "")
                .put("namespaced", r.namespaced())
                .put("kind", r.kind());
        o.putArray("verbs").add("get").add("list");
      }
    }
    return list;
  }

  private static ObjectNode notFound(String path) {
    String[] parts = path.split("/");
    String name = parts[parts.length - 1];
    String plural = parts.length > 1 ? parts[parts.length - 2] : "";
    ObjectNode s =
        JSON.createObjectNode()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("status", "Failure")
            .put("message", plural + " \"" + name + "\" not found")
            .put("reason", "NotFound")
            .put("code", 404);
    s.putObject("details").put("name", name).put("kind", plural);
    s.putObject("metadata");
    return s;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return q;
  }

  private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
