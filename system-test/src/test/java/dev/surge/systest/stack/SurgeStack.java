package dev.surge.systest.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.kube.ClusterExporter;
import dev.surge.cluster.kube.ClusterSnapshot;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.cluster.operator.RuleTiming;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.cluster.prometheus.AlertmanagerConfigs;
import dev.surge.cluster.prometheus.AlertmanagerProcess;
import dev.surge.cluster.prometheus.ChildProcess;
import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.cluster.prometheus.WebhookSink;
import dev.surge.common.Quantities;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestReader;
import dev.surge.systest.support.AdminTokenFile;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.AppProcess;
import dev.surge.testkit.FreePort;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole surge stack on one machine, every part configured from the rendered manifests of a
 * kustomize overlay: the real app jar with the Deployment's args and env (ports made free), the
 * real load generator jar against it with its metrics port, the cluster's series
 * (kube-state-metrics and cAdvisor, through the shared {@link ClusterExporter}, for the app's pod
 * and HPA, from the Deployment's resources, the HPA's spec and the app process's CPU and memory), a
 * real Alertmanager with the repository's example config pointed at a local webhook receiver, and a
 * real Prometheus whose scrape jobs come from the ServiceMonitor and PodMonitor and whose rule file
 * is the test copy of the PrometheusRule's groups.
 *
 * <p>Everything started is closed, in reverse order, by {@link #close()} — also when start-up fails
 * half-way.
 *
 * <pre>{@code
 * try (SurgeStack stack = SurgeStack.builder().start()) {
 *   stack.prometheus().query("up");
 * }
 * }</pre>
 */
public final class SurgeStack implements AutoCloseable {
  private static final String APP = "surge";
  private static final String LOADGEN = "surge-loadgen";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final List<ObjectNode> objects;
  private final RuleGroups rules;
  private final String namespace;
  private final String appPod;
  private final String loadgenPod;
  private AppProcess app;
  private String adminToken;
  private ChildProcess loadgen;
  private int loadgenMetricsPort;
  private final HpaSpec hpa;
  private ClusterExporter cluster;
  private WebhookSink hooks;
  private AlertmanagerProcess alertmanager;
  private PrometheusProcess prometheus;

  private SurgeStack(Builder b) {
    String yaml = Kustomize.renderText(RepoPaths.resolve(b.overlay));
    this.objects = Kustomize.parseAll(yaml);
    this.hpa = ManifestReader.parse(yaml, b.overlay, Optional.of(APP)).hpa();
    ObjectNode deployment = Kustomize.one(objects, "Deployment", APP);
    this.namespace = deployment.path("metadata").path("namespace").asText();
    this.rules = RuleGroups.fromObjects(objects);
    // Pod names as a ReplicaSet and an Indexed Job would make them (the rules' pod regexes rely on
    // that shape).
    this.appPod = APP + "-5d8f7c9b4-" + suffix();
    this.loadgenPod = LOADGEN + "-0-" + suffix();
    try {
      startAll(b, deployment);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * A builder: overlay {@code k8s/overlays/demo}, 20 requests/s of {@code /api/work?cpuMillis=2}, 1
   * s scrapes.
   */
  public static Builder builder() {
    return new Builder();
  }

  private void startAll(Builder b, ObjectNode deployment) {
    ObjectNode service = Kustomize.one(objects, "Service", APP);
    ObjectNode serviceMonitor = Kustomize.one(objects, "ServiceMonitor", APP);
    String metricsPortName =
        serviceMonitor.path("spec").path("endpoints").path(0).path("port").asText();
    JsonNode appContainer = containerServing(deployment, targetPort(service, metricsPortName));

    Map<String, String> appEnv = new LinkedHashMap<>(env(appContainer, appPod));
    // The overlay's admin-token component mounts the token from a Secret: a local file stands in.
    adminToken = AdminTokenFile.localize(deployment, appContainer, appEnv);
    app =
        remember(
            AppProcess.builder()
                .args(freePorts(stringList(appContainer.path("args"))))
                .env(appEnv)
                .jvmOptions(List.of("-XX:MaxRAM=" + (long) memoryLimit(appContainer)))
                .start());
    ProcessHandle appProcess =
        ProcessHandle.of(app.pid())
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the app (pid "
                            + app.pid()
                            + ") exited right after start-up:\n"
                            + app.output()));

    JsonNode resources = appContainer.path("resources");
    cluster =
        remember(
            startCluster(
                new StackCluster(
                    namespace,
                    hpa,
                    appPod,
                    new ClusterSnapshot.Container(
                        appContainer.path("name").asText(),
                        appContainer.path("image").asText(),
                        quantity(resources.path("requests").path("cpu")),
                        (long) quantity(resources.path("requests").path("memory")),
                        quantity(resources.path("limits").path("cpu")),
                        (long) memoryLimit(appContainer),
                        "running",
                        "",
                        0,
                        "",
                        0,
                        0),
                    appProcess)));

    ObjectNode job = Kustomize.one(objects, "Job", LOADGEN);
    ObjectNode podMonitor = Kustomize.one(objects, "PodMonitor", LOADGEN);
    JsonNode loadgenContainer =
        job.path("spec").path("template").path("spec").path("containers").path(0);
    loadgenMetricsPort = FreePort.find();
    loadgen =
        remember(
            ChildProcess.start(
                "loadgen",
                List.of(
                    Commands.java().toString(),
                    "-XX:MaxRAM=" + (long) memoryLimit(loadgenContainer),
                    "-jar",
                    RepoPaths.loadgenJar().toString(),
                    "run",
                    "--url",
                    "http://127.0.0.1:" + app.port() + b.loadPath,
                    "--rate",
                    Integer.toString(b.loadRate),
                    "--duration",
                    "10m",
                    "--metrics-port",
                    Integer.toString(loadgenMetricsPort),
                    "--progress",
                    "off"),
                RepoPaths.root(),
                jvmEnv(loadgenContainer)));
    loadgen.awaitHttpOk(
        "the load generator's metrics endpoint",
        loadgenMetricsPort,
        "/metrics",
        Duration.ofSeconds(30));

    hooks = remember(WebhookSink.start());
    alertmanager =
        remember(
            AlertmanagerProcess.start(
                Tools.require("prometheus-alertmanager", "prometheus-alertmanager"),
                null,
                AlertmanagerConfigs.testCopy(alertmanagerExample(), hooks::urlFor)));

    Map<String, String> loadgenLabels = new LinkedHashMap<>();
    job.path("spec")
        .path("template")
        .path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> loadgenLabels.put(e.getKey(), e.getValue().asText()));
    prometheus =
        remember(
            PrometheusProcess.builder()
                .binary(Tools.require("prometheus", "prometheus"))
                .scrapeInterval(b.scrapeInterval)
                .evaluationInterval(b.scrapeInterval)
                .scrapeConfig(
                    ScrapeJobs.serviceMonitor(
                        serviceMonitor,
                        service,
                        0,
                        "127.0.0.1:" + app.metricsPort(),
                        appPod,
                        appContainer.path("name").asText(),
                        b.scrapeInterval))
                .scrapeConfig(
                    ScrapeJobs.podMonitor(
                        podMonitor,
                        0,
                        "127.0.0.1:" + loadgenMetricsPort,
                        loadgenPod,
                        loadgenContainer.path("name").asText(),
                        loadgenLabels,
                        b.scrapeInterval))
                // kube-prometheus-stack scrapes both with honorLabels, so the exposed namespace/pod
                // labels win.
                .scrapeConfig(
                    ScrapeJobs.plain(
                        "kube-state-metrics",
                        "127.0.0.1:" + cluster.kubeStateMetricsPort(),
                        "/metrics",
                        true,
                        b.scrapeInterval))
                .scrapeConfig(
                    ScrapeJobs.plain(
                        "kubelet",
                        "127.0.0.1:" + cluster.cadvisorPort(),
                        ClusterExporter.CADVISOR_PATH,
                        true,
                        b.scrapeInterval))
                .ruleFile(RuleTiming.of(rules, b.scrapeInterval, b.forDivisor))
                .alertmanagerPort(alertmanager.port())
                .start());
  }

  private static ClusterExporter startCluster(StackCluster snapshots) {
    try {
      return ClusterExporter.start(snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the cluster exporter", e);
    }
  }

  private static double quantity(JsonNode value) {
    return value.isMissingNode() ? 0 : Quantities.value(value.asText()).doubleValue();
  }

  private <T extends AutoCloseable> T remember(T closeable) {
    started.push(closeable);
    return closeable;
  }

  /** The rendered objects of the overlay. */
  public List<ObjectNode> objects() {
    return objects;
  }

  /** The PrometheusRule's groups (as shipped; Prometheus runs the test copy). */
  public RuleGroups rules() {
    return rules;
  }

  /** The namespace of the manifests. */
  public String namespace() {
    return namespace;
  }

  /** The app's pod name (its {@code pod} label). */
  public String appPod() {
    return appPod;
  }

  /** The load generator's pod name (its {@code pod} label). */
  public String loadgenPod() {
    return loadgenPod;
  }

  /** The running app. */
  /** The admin bearer token the app was started with, or null when the overlay sets none. */
  public String adminToken() {
    return adminToken;
  }

  public AppProcess app() {
    return app;
  }

  /** The running Prometheus. */
  public PrometheusProcess prometheus() {
    return prometheus;
  }

  /** The running Alertmanager. */
  public AlertmanagerProcess alertmanager() {
    return alertmanager;
  }

  /** What Alertmanager delivered. */
  public WebhookSink hooks() {
    return hooks;
  }

  /** Every child's command line and output, for failure messages. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (app != null) {
      s.append("app output:\n").append(app.output()).append('\n');
    }
    if (loadgen != null) {
      s.append(loadgen.describe()).append('\n');
    }
    if (prometheus != null) {
      s.append(prometheus.describe()).append('\n');
    }
    if (alertmanager != null) {
      s.append(alertmanager.describe()).append('\n');
    }
    return s.toString();
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the stack failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The repository's example Alertmanager config: the one {@code alertmanager.yml} under {@code
   * k8s/}.
   */
  private static Path alertmanagerExample() {
    try (Stream<Path> files = Files.walk(RepoPaths.resolve("k8s"))) {
      List<Path> found =
          files.filter(f -> f.getFileName().toString().equals("alertmanager.yml")).toList();
      if (found.size() != 1) {
        throw new AssertionError("expected exactly one k8s/**/alertmanager.yml, found " + found);
      }
      return found.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Service port named {@code name}'s targetPort (a name or a number, as text). */
  private static String targetPort(ObjectNode service, String name) {
    for (JsonNode p : service.path("spec").path("ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("targetPort").asText(p.path("port").asText());
      }
    }
    throw new AssertionError(
        "Service " + service.path("metadata").path("name").asText() + " has no port named " + name);
  }

  /** The Deployment's container that declares {@code port} (by name or number). */
  private static JsonNode containerServing(ObjectNode deployment, String port) {
    for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        if (port.equals(p.path("name").asText()) || port.equals(p.path("containerPort").asText())) {
          return c;
        }
      }
    }
    throw new AssertionError(
        "no container of Deployment "
            + deployment.path("metadata").path("name").asText()
            + " declares port "
            + port);
  }

  private static double memoryLimit(JsonNode container) {
    String limit = container.path("resources").path("limits").path("memory").asText("");
    if (limit.isEmpty()) {
      throw new AssertionError(
          "container " + container.path("name").asText() + " has no memory limit to emulate");
    }
    return Quantities.value(limit).doubleValue();
  }

  /**
   * The args with every {@code --port}/{@code --metrics-port} value made 0 (the app reports what it
   * bound).
   */
  static List<String> freePorts(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--port") || a.equals("--metrics-port")) && i + 1 < args.size()) {
        out.add(a);
        out.add("0");
        i++;
      } else if (a.startsWith("--port=") || a.startsWith("--metrics-port=")) {
        out.add(a.substring(0, a.indexOf('=') + 1) + "0");
      } else {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The container's env as the kubelet would set it for pod {@code pod} (downward API included).
   */
  private Map<String, String> env(JsonNode container, String pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String configMap = from.path("configMapRef").path("name").asText("");
      if (configMap.isEmpty()) {
        throw new AssertionError(
            "container "
                + container.path("name").asText()
                + ": only envFrom.configMapRef is supported here, got "
                + from);
      }
      Kustomize.one(objects, "ConfigMap", configMap)
          .path("data")
          .properties()
          .forEach(
              e -> env.put(from.path("prefix").asText("") + e.getKey(), e.getValue().asText()));
    }
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, e.path("value").asText());
        continue;
      }
      String field = e.path("valueFrom").path("fieldRef").path("fieldPath").asText("");
      env.put(
          name,
          switch (field) {
            case "metadata.name" -> pod;
            case "metadata.namespace" -> namespace;
            case "status.podIP", "status.hostIP" -> "127.0.0.1";
            case "spec.nodeName" -> "fixture-node-1";
            default ->
                throw new AssertionError(
                    "container "
                        + container.path("name").asText()
                        + ": env "
                        + name
                        + " from "
                        + e.path("valueFrom")
                        + " is not emulated");
          });
    }
    for (String port : List.of("SURGE_PORT", "SURGE_METRICS_PORT")) {
      env.computeIfPresent(port, (k, v) -> "0");
    }
    return env;
  }

  /**
   * The container's JAVA_TOOL_OPTIONS (its JVM flags), if it sets one. The rest of the load
   * generator's env (the profile's ConfigMap) is for the cluster: the test sends its own small rate
   * by flags.
   */
  private static Map<String, String> jvmEnv(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals("JAVA_TOOL_OPTIONS") && e.has("value")) {
        env.put("JAVA_TOOL_OPTIONS", e.path("value").asText());
      }
    }
    return env;
  }

  private static List<String> stringList(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /** Settings of the stack. */
  public static final class Builder {
    private String overlay = "k8s/overlays/demo";
    private String loadPath = "/api/work?cpuMillis=2";
    private int loadRate = 20;
    private String scrapeInterval = "1s";
    private int forDivisor = 60;

    private Builder() {}

    /**
     * The kustomize overlay to render, relative to the repository. Default is {@code
     * k8s/overlays/demo}.
     */
    public Builder overlay(String overlay) {
      this.overlay = overlay;
      return this;
    }

    /** Path (and query) the load generator requests. Default is {@code /api/work?cpuMillis=2}. */
    public Builder loadPath(String loadPath) {
      this.loadPath = loadPath;
      return this;
    }

    /** Requests per second the load generator sends. Default is 20. */
    public Builder loadRate(int loadRate) {
      this.loadRate = loadRate;
      return this;
    }

    /** Scrape and rule-evaluation interval (every job). Default is {@code 1s}. */
    public Builder scrapeInterval(String scrapeInterval) {
      this.scrapeInterval = scrapeInterval;
      return this;
    }

    /**
     * Every alert's {@code for:} is divided by this in the test copy. Default is 60 (minutes become
     * seconds).
     */
    public Builder forDivisor(int forDivisor) {
      this.forDivisor = forDivisor;
      return this;
    }

    /**
     * Renders the overlay and starts every part; fails (closing what started) when one does not
     * come up.
     */
    public SurgeStack start() {
      return new SurgeStack(this);
    }
  }
}
