package dev.surge.cluster.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus {@code scrape_configs} entries derived from rendered ServiceMonitor and PodMonitor
 * objects the way the Prometheus Operator (kube-prometheus-stack) derives them — job name and
 * {@code job} label, metrics path, scheme, honor_labels, and the {@code namespace}/{@code
 * pod}/{@code service}/{@code container}/{@code endpoint} target labels — but for a local process
 * instead of discovered pods, with a test's short interval.
 *
 * <p>Operator conventions reproduced: a ServiceMonitor's {@code job} label is the Service's name
 * (or the value of the Service label named by {@code spec.jobLabel}); a PodMonitor's is {@code
 * <namespace>/<name>} (or the pod label named by {@code spec.jobLabel}); the scrape job is named
 * {@code serviceMonitor/<ns>/<name>/<i>} or {@code podMonitor/<ns>/<name>/<i>}.
 *
 * <pre>{@code
 * ObjectNode job = ScrapeJobs.serviceMonitor(serviceMonitor, service, 0, "127.0.0.1:" + app.metricsPort(),
 *     "surge-5d8f7c9b4-x7k2p", "app", "1s");
 * }</pre>
 */
public final class ScrapeJobs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ScrapeJobs() {}

  /**
   * The scrape job for endpoint {@code index} of {@code serviceMonitor}, selecting {@code service},
   * scraping {@code target} as pod {@code pod}'s container {@code container}.
   */
  public static ObjectNode serviceMonitor(
      ObjectNode serviceMonitor,
      ObjectNode service,
      int index,
      String target,
      String pod,
      String container,
      String interval) {
    String namespace = namespace(serviceMonitor);
    String serviceName = service.path("metadata").path("name").asText();
    JsonNode selector = serviceMonitor.path("spec").path("selector").path("matchLabels");
    JsonNode serviceLabels = service.path("metadata").path("labels");
    selector
        .properties()
        .forEach(
            e -> {
              if (!e.getValue().asText().equals(serviceLabels.path(e.getKey()).asText(null))) {
                throw new IllegalArgumentException(
                    "ServiceMonitor "
                        + name(serviceMonitor)
                        + " selects "
                        + e.getKey()
                        + "="
                        + e.getValue().asText()
                        + " but Service "
                        + serviceName
                        + " has labels "
                        + serviceLabels);
              }
            });
    JsonNode endpoint = endpoint(serviceMonitor, "endpoints", index);
    String port = endpoint.path("port").asText();
    boolean portExists = false;
    for (JsonNode p : service.path("spec").path("ports")) {
      portExists |= port.equals(p.path("name").asText());
    }
    if (!portExists) {
      throw new IllegalArgumentException(
          "ServiceMonitor "
              + name(serviceMonitor)
              + " scrapes port '"
              + port
              + "', which Service "
              + serviceName
              + " does not name");
    }
    String jobLabel = serviceMonitor.path("spec").path("jobLabel").asText("");
    String job =
        jobLabel.isEmpty() ? serviceName : serviceLabels.path(jobLabel).asText(serviceName);
    ObjectNode labels =
        NODES
            .objectNode()
            .put("namespace", namespace)
            .put("service", serviceName)
            .put("pod", pod)
            .put("container", container)
            .put("endpoint", port);
    return job(
        "serviceMonitor/" + namespace + "/" + name(serviceMonitor) + "/" + index,
        job,
        endpoint,
        target,
        labels,
        interval);
  }

  /**
   * The scrape job for endpoint {@code index} of {@code podMonitor}, scraping {@code target} as pod
   * {@code pod}.
   */
  public static ObjectNode podMonitor(
      ObjectNode podMonitor,
      int index,
      String target,
      String pod,
      String container,
      Map<String, String> podLabels,
      String interval) {
    String namespace = namespace(podMonitor);
    JsonNode selector = podMonitor.path("spec").path("selector").path("matchLabels");
    selector
        .properties()
        .forEach(
            e -> {
              if (!e.getValue().asText().equals(podLabels.get(e.getKey()))) {
                throw new IllegalArgumentException(
                    "PodMonitor "
                        + name(podMonitor)
                        + " selects "
                        + e.getKey()
                        + "="
                        + e.getValue().asText()
                        + " but the pod has labels "
                        + podLabels);
              }
            });
    JsonNode endpoint = endpoint(podMonitor, "podMetricsEndpoints", index);
    String jobLabel = podMonitor.path("spec").path("jobLabel").asText("");
    String job =
        jobLabel.isEmpty() || !podLabels.containsKey(jobLabel)
            ? namespace + "/" + name(podMonitor)
            : podLabels.get(jobLabel);
    ObjectNode labels =
        NODES
            .objectNode()
            .put("namespace", namespace)
            .put("pod", pod)
            .put("container", container)
            .put("endpoint", endpoint.path("port").asText());
    return job(
        "podMonitor/" + namespace + "/" + name(podMonitor) + "/" + index,
        job,
        endpoint,
        target,
        labels,
        interval);
  }

  /**
   * A plain job for a local target with fixed labels (the cluster fixture's kube-state-metrics and
   * kubelet).
   */
  public static ObjectNode plain(
      String jobName, String target, String metricsPath, boolean honorLabels, String interval) {
    ObjectNode job =
        NODES
            .objectNode()
            .put("job_name", jobName)
            .put("honor_labels", honorLabels)
            .put("scrape_interval", interval)
            .put("scrape_timeout", interval)
            .put("metrics_path", metricsPath);
    job.putArray("static_configs").addObject().putArray("targets").add(target);
    return job;
  }

  private static ObjectNode job(
      String jobName,
      String job,
      JsonNode endpoint,
      String target,
      ObjectNode labels,
      String interval) {
    ObjectNode config =
        NODES
            .objectNode()
            .put("job_name", jobName)
            .put("honor_labels", endpoint.path("honorLabels").asBoolean(false))
            .put("scrape_interval", interval)
            .put("scrape_timeout", interval)
            .put("metrics_path", endpoint.path("path").asText("/metrics"))
            .put("scheme", endpoint.path("scheme").asText("http"));
    config.putArray("static_configs").addObject().putArray("targets").add(target);
    // The operator adds the target labels by relabelling (from __meta_kubernetes_* there, fixed
    // values here), the job label last.
    var relabel = config.putArray("relabel_configs");
    labels
        .properties()
        .forEach(
            e ->
                relabel
                    .addObject()
                    .put("target_label", e.getKey())
                    .put("replacement", e.getValue().asText()));
    relabel.addObject().put("target_label", "job").put("replacement", job);
    if (endpoint.has("metricRelabelings")) {
      // Metric relabelings act on scraped series only (no Kubernetes meta labels involved): they
      // apply as shipped.
      config.set("metric_relabel_configs", snakeCase(endpoint.path("metricRelabelings")));
    }
    return config;
  }

  /**
   * {@code job} (one of the static jobs above) with its targets from a file instead: file-based
   * service discovery of {@code file}, re-read every second, where each target group carries the
   * labels {@link #targetGroup} gives it. The lab uses this for pods that come and go.
   */
  public static ObjectNode fileDiscovery(ObjectNode job, Path file) {
    ObjectNode config = job.deepCopy();
    config.remove("static_configs");
    config.remove("relabel_configs");
    ObjectNode sd = config.putArray("file_sd_configs").addObject();
    sd.putArray("files").add(file.toString());
    sd.put("refresh_interval", "1s");
    return config;
  }

  /**
   * The file-discovery target group of {@code job} (one of the static jobs above): its target and
   * the labels its relabelling sets, {@code job} included.
   */
  public static ObjectNode targetGroup(ObjectNode job) {
    ObjectNode group = NODES.objectNode();
    group.set("targets", job.path("static_configs").path(0).path("targets").deepCopy());
    ObjectNode labels = group.putObject("labels");
    for (JsonNode r : job.path("relabel_configs")) {
      labels.put(r.path("target_label").asText(), r.path("replacement").asText());
    }
    return group;
  }

  /**
   * The scrape interval of endpoint {@code index} of a ServiceMonitor or PodMonitor, {@code 30s}
   * (Prometheus' default the operator keeps) without one.
   */
  public static String interval(ObjectNode monitor, int index) {
    String field =
        "PodMonitor".equals(monitor.path("kind").asText()) ? "podMetricsEndpoints" : "endpoints";
    return monitor.path("spec").path(field).path(index).path("interval").asText("30s");
  }

  private static JsonNode endpoint(ObjectNode monitor, String field, int index) {
    JsonNode endpoint = monitor.path("spec").path(field).path(index);
    if (endpoint.isMissingNode()) {
      throw new IllegalArgumentException(
          monitor.path("kind").asText()
              + " "
              + name(monitor)
              + " has no "
              + field
              + "["
              + index
              + "]");
    }
    return endpoint;
  }

  /**
   * The operator's CRD spells relabel fields in camelCase (sourceLabels); Prometheus wants
   * snake_case.
   */
  private static JsonNode snakeCase(JsonNode relabelings) {
    var out = NODES.arrayNode();
    for (JsonNode r : relabelings) {
      ObjectNode o = out.addObject();
      r.properties()
          .forEach(
              e ->
                  o.set(
                      e.getKey().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT),
                      e.getValue()));
    }
    return out;
  }

  private static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText();
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }
}
