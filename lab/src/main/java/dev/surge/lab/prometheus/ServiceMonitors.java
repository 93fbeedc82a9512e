package dev.surge.lab.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.surge.common.Durations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lab's Prometheus takes from the shipped ServiceMonitor and Service: the scrape interval
 * and the target labels the Prometheus Operator derives ({@code job} = the Service's name, {@code
 * endpoint} = the endpoint's port name, {@code namespace}, {@code service}, {@code container}).
 */
public final class ServiceMonitors {
  private static final YAMLMapper YAML = new YAMLMapper();

  private ServiceMonitors() {}

  private static List<JsonNode> docs(String yaml, String kind) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && kind.equals(d.path("kind").asText())) {
          docs.add(d);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
    }
    return docs;
  }

  /** The first ServiceMonitor endpoint's interval, 30 s (the Operator's default) without one. */
  public static int intervalSeconds(String yaml) {
    for (JsonNode sm : docs(yaml, "ServiceMonitor")) {
      String interval = sm.path("spec").path("endpoints").path(0).path("interval").asText("");
      if (!interval.isEmpty()) {
        return (int) Math.max(1, Math.round(Durations.parseSeconds(interval)));
      }
    }
    return 30;
  }

  /** The target labels of the pods, from the ServiceMonitor and the Service it selects. */
  public static PrometheusServer.Labels labels(String yaml, String namespace, String deployment) {
    String ns = namespace.isEmpty() ? "default" : namespace;
    String service = deployment;
    List<JsonNode> services = docs(yaml, "Service");
    if (!services.isEmpty()) {
      service = services.get(0).path("metadata").path("name").asText(deployment);
    }
    String endpoint = "metrics";
    for (JsonNode sm : docs(yaml, "ServiceMonitor")) {
      endpoint = sm.path("spec").path("endpoints").path(0).path("port").asText(endpoint);
    }
    return new PrometheusServer.Labels(ns, service, service, endpoint, "app");
  }
}
