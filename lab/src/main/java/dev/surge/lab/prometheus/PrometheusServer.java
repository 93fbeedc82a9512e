package dev.surge.lab.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real Prometheus (Debian's {@code prometheus} on PATH) for the lab: scrapes every pod's metrics
 * port with the target labels the ServiceMonitor gives them in a cluster ({@code job} = the
 * Service's name, {@code namespace}, {@code pod}, {@code service}, {@code endpoint}, {@code
 * container}), the lab's kube-state-metrics endpoint, and evaluates the rules extracted from the
 * shipped PrometheusRule. Pods come and go through a file-based service discovery file that is
 * rewritten once a second.
 *
 * <p>Prometheus does not watch its parent, so it runs under a small {@code sh} watchdog that stops
 * it when the lab process is gone (even when the lab was killed).
 */
public final class PrometheusServer implements AutoCloseable {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path targets;
  private final Supplier<Map<String, Integer>> pods;
  private final Labels labels;
  private final ScheduledExecutorService discovery =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-prometheus-sd");
            t.setDaemon(true);
            return t;
          });
  private String lastTargets = "";

  /**
   * The labels the ServiceMonitor's scrape gives each pod's series.
   *
   * @param namespace the namespace
   * @param job the Service's name ({@code job} label)
   * @param service the Service's name
   * @param endpoint the ServiceMonitor endpoint's port name
   * @param container the container's name
   */
  public record Labels(
      String namespace, String job, String service, String endpoint, String container) {}

  private PrometheusServer(
      Process process, int port, Path targets, Supplier<Map<String, Integer>> pods, Labels labels) {
    this.process = process;
    this.port = port;
    this.targets = targets;
    this.pods = pods;
    this.labels = labels;
  }

  /** Whether {@code prometheus} is on the PATH. */
  public static Optional<Path> binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The {@code groups} of every PrometheusRule in the rendered manifests, as a rule file. */
  public static String rules(String renderedYaml) throws IOException {
    ObjectNode file = YAML.createObjectNode();
    ArrayNode groups = file.putArray("groups");
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(renderedYaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && "PrometheusRule".equals(doc.path("kind").asText())) {
          doc.path("spec").path("groups").forEach(groups::add);
        }
      }
    }
    return YAML.writeValueAsString(file);
  }

  /**
   * Writes the config and starts Prometheus; returns once it answers {@code /-/ready}.
   *
   * @param dir working directory (config, rules, TSDB)
   * @param rules the rule file's content
   * @param scrapeIntervalSeconds the ServiceMonitor's interval (or the lab's)
   * @param kubeStateMetricsPort the lab's kube-state-metrics endpoint
   * @param pods pod name → metrics port, read once a second
   */
  public static PrometheusServer start(
      Path binary,
      Path dir,
      String rules,
      int scrapeIntervalSeconds,
      int kubeStateMetricsPort,
      Supplier<Map<String, Integer>> pods,
      Labels labels)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("rules.yml"), rules, StandardCharsets.UTF_8);
    Path targets = dir.resolve("targets.json");
    Files.writeString(targets, "[]", StandardCharsets.UTF_8);
    String interval = scrapeIntervalSeconds + "s";
    String config =
        "global:\n"
            + "  scrape_interval: "
            + interval
            + "\n  evaluation_interval: "
            + interval
            + "\nrule_files: [rules.yml]\n"
            + "scrape_configs:\n"
            + "  - job_name: serviceMonitor/"
            + labels.namespace()
            + "/"
            + labels.service()
            + "/0\n"
            + "    metrics_path: /metrics\n"
            + "    file_sd_configs: [{files: [targets.json], refresh_interval: 1s}]\n"
            + "  - job_name: kube-state-metrics\n"
            + "    honor_labels: true\n"
            + "    static_configs: [{targets: ['127.0.0.1:"
            + kubeStateMetricsPort
            + "'], labels: {job: kube-state-metrics}}]\n";
    Files.writeString(dir.resolve("prometheus.yml"), config, StandardCharsets.UTF_8);
    int port = freePort();
    // The watchdog: ends Prometheus when the lab (its grandparent) is gone or asks it to stop.
    String script =
        "\"$0\" \"$@\" & p=$!; trap 'kill $p 2>/dev/null; wait $p; exit 0' TERM INT;"
            + " while kill -0 \"$SURGE_PARENT_PID\" 2>/dev/null && kill -0 $p 2>/dev/null;"
            + " do sleep 1; done; kill $p 2>/dev/null; wait $p";
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                "-c",
                script,
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle",
                "--log.level=warn")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile());
    pb.environment().put("SURGE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    Process process = pb.start();
    PrometheusServer server = new PrometheusServer(process, port, targets, pods, labels);
    try {
      server.awaitReady(Duration.ofSeconds(60), dir.resolve("prometheus.log"));
      var unused =
          server.discovery.scheduleWithFixedDelay(server::writeTargets, 0, 1, TimeUnit.SECONDS);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "prometheus exited: " + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet: poll again until the deadline.
      }
      Thread.sleep(250); // polling a child's readiness, bounded by the deadline
    }
    throw new IOException("prometheus was not ready within " + timeout.toSeconds() + "s");
  }

  private void writeTargets() {
    try {
      ArrayNode groups = JSON.createArrayNode();
      pods.get()
          .forEach(
              (pod, metricsPort) -> {
                ObjectNode g = groups.addObject();
                g.putArray("targets").add("127.0.0.1:" + metricsPort);
                ObjectNode l = g.putObject("labels");
                l.put("job", labels.job());
                l.put("namespace", labels.namespace());
                l.put("pod", pod);
                l.put("service", labels.service());
                l.put("endpoint", labels.endpoint());
                l.put("container", labels.container());
              });
      String text = JSON.writeValueAsString(groups);
      if (!text.equals(lastTargets)) {
        Path tmp = targets.resolveSibling("targets.json.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(
            tmp, targets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lastTargets = text;
      }
    } catch (IOException | RuntimeException e) {
      // The next second tries again; Prometheus keeps the previous targets meanwhile.
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The scrape config's kube-state-metrics and pod jobs, for the output. */
  public List<String> jobs() {
    return List.of(labels.job(), "kube-state-metrics");
  }

  @Override
  public void close() {
    discovery.shutdownNow();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
