package dev.surge.cluster.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server (Debian's {@code prometheus}) for the lab and the system tests: a config
 * built from scrape jobs, rule files and an optional Alertmanager, its TSDB in its directory (a
 * temporary one unless {@link Builder#dir} names one), listening on a free loopback port; ready
 * when {@code /-/ready} answers. Native histograms stay off (Prometheus 2.42 would drop the classic
 * buckets). The query methods throw {@link IllegalStateException} when Prometheus answers with an
 * error.
 *
 * <p>Thread-safety: the query methods may be called from any thread.
 *
 * <pre>{@code
 * try (PrometheusProcess prometheus = PrometheusProcess.builder()
 *     .scrapeConfig(ScrapeJob.of("surge", "127.0.0.1:" + app.metricsPort()).toYamlTree())
 *     .ruleFile(rules)
 *     .start()) {
 *   List<PrometheusProcess.Sample> up = prometheus.query("up");
 * }
 * }</pre>
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /** One sample of an instant vector. */
  public record Sample(Map<String, String> labels, String value) {}

  /** One alert as {@code /api/v1/alerts} reports it. */
  public record Alert(Map<String, String> labels, String state) {
    /** The {@code alertname} label. */
    public String name() {
      return labels.getOrDefault("alertname", "");
    }
  }

  /** One target as {@code /api/v1/targets} reports it. */
  public record Target(
      Map<String, String> labels, String scrapeUrl, String health, String lastError) {}

  private final ServerProcess server;

  private PrometheusProcess(Builder b) {
    Path binary = b.binary != null ? b.binary : Binaries.require("prometheus", "prometheus");
    this.server =
        ServerProcess.start(
            "Prometheus",
            b.dir,
            dir -> writeFiles(dir, b),
            dir ->
                List.of(
                    binary.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.enable-lifecycle"),
            b.startupTimeout);
  }

  /** The rule files and the config that lists them. */
  private static void writeFiles(Path dir, Builder b) throws IOException {
    List<String> ruleFiles = new ArrayList<>();
    for (int i = 0; i < b.ruleFiles.size(); i++) {
      Path file = dir.resolve("rules-" + i + ".yml");
      Files.writeString(file, b.ruleFiles.get(i));
      ruleFiles.add(file.toString());
    }
    Files.writeString(dir.resolve("prometheus.yml"), YAML.writeValueAsString(config(b, ruleFiles)));
  }

  private static ObjectNode config(Builder b, List<String> ruleFiles) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode global = root.putObject("global");
    global.put("scrape_interval", b.scrapeInterval);
    global.put("scrape_timeout", b.scrapeInterval);
    global.put("evaluation_interval", b.evaluationInterval);
    ArrayNode rules = root.putArray("rule_files");
    ruleFiles.forEach(rules::add);
    if (b.alertmanagerPort > 0) {
      root.putObject("alerting")
          .putArray("alertmanagers")
          .addObject()
          .putArray("static_configs")
          .addObject()
          .putArray("targets")
          .add("127.0.0.1:" + b.alertmanagerPort);
    }
    ArrayNode scrape = root.putArray("scrape_configs");
    b.scrapeConfigs.forEach(scrape::add);
    return root;
  }

  /** A builder: scrape and evaluation every 1 s, no rules, no Alertmanager. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port Prometheus listens on (127.0.0.1). */
  public int port() {
    return server.port();
  }

  /** The config file as written (for failure messages). */
  public String configText() {
    try {
      return Files.readString(server.dir().resolve("prometheus.yml"));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Evaluates {@code promql} at the current time via {@code /api/v1/query}; fails on a query error.
   */
  public List<Sample> query(String promql) {
    JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<Sample> samples = new ArrayList<>();
    String type = data.path("resultType").asText();
    if (type.equals("vector")) {
      for (JsonNode s : data.path("result")) {
        samples.add(new Sample(labels(s.path("metric")), s.path("value").path(1).asText()));
      }
    } else if (type.equals("scalar") || type.equals("string")) {
      samples.add(new Sample(Map.of(), data.path("result").path(1).asText()));
    } else {
      throw new IllegalStateException("unexpected result type " + type + " for " + promql);
    }
    return samples;
  }

  /** Values of {@code label} over the series matching {@code selector} (all series when blank). */
  public List<String> labelValues(String label, String selector) {
    String match =
        selector.isBlank() ? "" : "?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    List<String> values = new ArrayList<>();
    api("/api/v1/label/" + label + "/values" + match).forEach(v -> values.add(v.asText()));
    return values;
  }

  /** Active alerts (pending and firing) via {@code /api/v1/alerts}. */
  public List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode a : api("/api/v1/alerts").path("alerts")) {
      alerts.add(new Alert(labels(a.path("labels")), a.path("state").asText()));
    }
    return alerts;
  }

  /** Scrape targets via {@code /api/v1/targets}. */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    for (JsonNode t : api("/api/v1/targets?state=active").path("activeTargets")) {
      targets.add(
          new Target(
              labels(t.path("labels")),
              t.path("scrapeUrl").asText(),
              t.path("health").asText(),
              t.path("lastError").asText()));
    }
    return targets;
  }

  /**
   * The rule groups as loaded, via {@code /api/v1/rules} (each group's {@code rules} with health
   * and last error).
   */
  public JsonNode ruleGroups() {
    return api("/api/v1/rules").path("groups");
  }

  private JsonNode api(String pathAndQuery) {
    HttpResponse<String> response;
    try {
      response = LocalHttp.get(server.port(), pathAndQuery);
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus " + pathAndQuery + ": " + e.getMessage(), e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Prometheus answered " + pathAndQuery + " with non-JSON: " + response.body(), e);
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(
          "Prometheus " + pathAndQuery + " -> " + response.statusCode() + " " + response.body());
    }
    return body.path("data");
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Where the config, rules and TSDB are. */
  public Path dir() {
    return server.dir();
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** The process, its command line and output (for failure messages). */
  public String describe() {
    return server.describe();
  }

  @Override
  public void close() {
    server.close();
  }

  /** Settings of one Prometheus. */
  public static final class Builder {
    private final List<JsonNode> scrapeConfigs = new ArrayList<>();
    private final List<String> ruleFiles = new ArrayList<>();
    private String scrapeInterval = "1s";
    private String evaluationInterval = "1s";
    private int alertmanagerPort;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Path binary;
    private Path dir;

    private Builder() {}

    /** The {@code prometheus} executable. Default is the one on the PATH. */
    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    /**
     * The directory for the config, the rules and the TSDB, kept after close. Default is a new
     * temporary directory, deleted on close.
     */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Adds one {@code scrape_configs} entry (a YAML/JSON tree). */
    public Builder scrapeConfig(JsonNode scrapeConfig) {
      scrapeConfigs.add(scrapeConfig);
      return this;
    }

    /** Adds one rule file (its YAML text: {@code groups: ...}). */
    public Builder ruleFile(String yaml) {
      ruleFiles.add(yaml);
      return this;
    }

    /** Global scrape interval (and timeout). Default is {@code 1s}. */
    public Builder scrapeInterval(String scrapeInterval) {
      this.scrapeInterval = scrapeInterval;
      return this;
    }

    /** Global rule evaluation interval. Default is {@code 1s}. */
    public Builder evaluationInterval(String evaluationInterval) {
      this.evaluationInterval = evaluationInterval;
      return this;
    }

    /** Sends alerts to the Alertmanager on this loopback port. Default is none. */
    public Builder alertmanagerPort(int alertmanagerPort) {
      this.alertmanagerPort = alertmanagerPort;
      return this;
    }

    /** Deadline for {@code /-/ready}. Default is 30 s. */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Writes the config and starts Prometheus; returns once it is ready.
     *
     * @throws IllegalStateException naming the Debian package when it is not installed, or with its
     *     output when it does not become ready
     */
    public PrometheusProcess start() {
      return new PrometheusProcess(this);
    }
  }
}
