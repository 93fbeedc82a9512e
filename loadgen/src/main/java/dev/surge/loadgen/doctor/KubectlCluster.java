package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Cluster} through the real {@code kubectl}: {@code kubectl get ... -o json} with a request
 * timeout, {@code NotFound} and "the server doesn't have a resource type" read as absence, any
 * other error as a {@link ClusterException} carrying kubectl's message.
 *
 * <p>One thread at a time (it only delegates to {@link KubectlProcess}, which is stateless).
 */
final class KubectlCluster implements Cluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST_TIMEOUT = "--request-timeout=30s";

  private final KubectlProcess kubectl;

  /**
   * @param kubectl the binary with the context's global flags already set
   */
  KubectlCluster(KubectlProcess kubectl) {
    this.kubectl = kubectl;
  }

  @Override
  public String serverVersion() {
    KubectlProcess.Result r = kubectl.run(List.of("get", "--raw", "/version", REQUEST_TIMEOUT));
    if (!r.ok()) {
      throw new ClusterException(r.errorLine());
    }
    return parse(r.out(), "/version").path("gitVersion").asText("unknown");
  }

  @Override
  public Optional<JsonNode> get(String resource, String namespace, String name) {
    List<String> args = new ArrayList<>(List.of("get", resource, name, "-o", "json"));
    if (namespace != null) {
      args.addAll(List.of("-n", namespace));
    }
    args.add(REQUEST_TIMEOUT);
    KubectlProcess.Result r = kubectl.run(args);
    if (!r.ok()) {
      if (absent(r)) {
        return Optional.empty();
      }
      throw new ClusterException(r.errorLine(), resource);
    }
    return Optional.of(parse(r.out(), resource + " " + name));
  }

  @Override
  public List<JsonNode> list(String resource, String namespace, String labelSelector) {
    List<String> args = new ArrayList<>(List.of("get", resource, "-o", "json"));
    args.addAll(namespace == null ? List.of("--all-namespaces") : List.of("-n", namespace));
    if (labelSelector != null) {
      args.addAll(List.of("-l", labelSelector));
    }
    args.add(REQUEST_TIMEOUT);
    KubectlProcess.Result r = kubectl.run(args);
    if (!r.ok()) {
      if (absent(r)) {
        return List.of();
      }
      throw new ClusterException(r.errorLine(), resource);
    }
    List<JsonNode> items = new ArrayList<>();
    parse(r.out(), resource).path("items").forEach(items::add);
    return items;
  }

  private static boolean absent(KubectlProcess.Result r) {
    return r.err().contains("(NotFound)") || r.err().contains("doesn't have a resource type");
  }

  private static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ClusterException(
          "kubectl get " + what + " printed no JSON: " + e.getOriginalMessage());
    }
  }
}
