package dev.surge.loadgen.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * Polls Prometheus during a run for an HPA's scaling: the kube-state-metrics series for its current
 * and desired replicas and its Deployment's ready replicas, and the app's per-pod request rate.
 * Keeps the timeline and the latest sample for the progress line. A failed poll is remembered and
 * shown, never fatal to the run.
 *
 * <pre>{@code
 * try (PrometheusPoller p = PrometheusPoller.builder().prometheus(uri).hpa("surge", "surge").build()) {
 *   p.start(); ... p.progressText(); ... p.timeline();
 * }
 * }</pre>
 */
public final class PrometheusPoller implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI prometheus;
  private final String namespace;
  private final String hpa;
  private final String deployment;
  private final long intervalMillis;
  private final Consumer<ScalingSample> onSample;
  private final HttpClient client = new HttpClient();
  private final List<ScalingSample> timeline = new ArrayList<>();
  private final ScheduledExecutorService executor;
  private volatile ScalingSample latest;
  private volatile String lastError;
  private long startNanos;

  private PrometheusPoller(Builder b) {
    this.prometheus = b.prometheus;
    this.namespace = b.namespace;
    this.hpa = b.hpa;
    this.deployment = b.deployment != null ? b.deployment : b.hpa;
    this.intervalMillis = b.intervalMillis;
    this.onSample = b.onSample;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "surge-loadgen-scaling");
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts polling now; {@code t} of each sample counts from this moment. */
  public void start() throws Exception {
    client.start();
    startNanos = System.nanoTime();
    var unused =
        executor.scheduleWithFixedDelay(this::pollSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void pollSafely() {
    ScalingSample s;
    try {
      s = poll((System.nanoTime() - startNanos) / 1e9);
      synchronized (timeline) {
        timeline.add(s);
      }
      latest = s;
      lastError = null;
    } catch (Exception e) {
      // Prometheus being slow or down must not disturb the load: show it on the progress line and
      // keep going.
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    onSample.accept(s);
  }

  ScalingSample poll(double t) throws Exception {
    String hpaSel =
        String.format("{namespace=\"%s\",horizontalpodautoscaler=\"%s\"}", namespace, hpa);
    Integer current = scalar("kube_horizontalpodautoscaler_status_current_replicas" + hpaSel);
    Integer desired = scalar("kube_horizontalpodautoscaler_status_desired_replicas" + hpaSel);
    Integer ready =
        scalar(
            String.format(
                "kube_deployment_status_replicas_ready{namespace=\"%s\",deployment=\"%s\"}",
                namespace, deployment));
    Map<String, Double> rates = new TreeMap<>();
    for (JsonNode r :
        query(
            String.format(
                "sum by (pod) (rate(surge_http_requests_total{namespace=\"%s\"}[1m]))",
                namespace))) {
      String pod = r.path("metric").path("pod").asText("");
      if (!pod.isEmpty()) {
        rates.put(pod, value(r));
      }
    }
    return new ScalingSample(t, current, desired, ready, rates);
  }

  private Integer scalar(String promql) throws Exception {
    JsonNode result = query(promql);
    if (result.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (JsonNode r : result) {
      sum += value(r);
    }
    return (int) Math.round(sum);
  }

  private static double value(JsonNode r) {
    return Double.parseDouble(r.path("value").path(1).asText("NaN"));
  }

  private JsonNode query(String promql) throws Exception {
    URI uri =
        prometheus.resolve(
            "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    ContentResponse r = client.newRequest(uri).timeout(5, TimeUnit.SECONDS).send();
    if (r.getStatus() != 200) {
      throw new IllegalStateException("Prometheus answered " + r.getStatus() + " to " + promql);
    }
    JsonNode body = JSON.readTree(r.getContentAsString());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("Prometheus query failed: " + body.path("error").asText());
    }
    return body.path("data").path("result");
  }

  /** For the progress line, e.g. {@code replicas 3 (desired 5, ready 3)}. */
  public String progressText() {
    ScalingSample s = latest;
    String error = lastError;
    if (s == null) {
      return error == null ? "replicas ?" : "replicas ? (prometheus: " + error + ")";
    }
    return String.format(
        Locale.ROOT,
        "replicas %s (desired %s, ready %s)%s",
        n(s.currentReplicas()),
        n(s.desiredReplicas()),
        n(s.readyReplicas()),
        error == null ? "" : " (prometheus: " + error + ")");
  }

  private static String n(Integer v) {
    return v == null ? "?" : v.toString();
  }

  /** The Deployment whose ready replicas are polled. */
  public String deployment() {
    return deployment;
  }

  /** The latest sample, null before the first (for the live page). */
  public ScalingSample latest() {
    return latest;
  }

  /** The samples so far. */
  public List<ScalingSample> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /** Takes one last sample (so the end of the run is in the timeline) and stops. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      if (client.isStarted()) {
        pollSafely();
      }
      client.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lastError = e.getMessage();
    }
  }

  /** Settings of a {@link PrometheusPoller}. */
  public static final class Builder {
    private URI prometheus;
    private String namespace;
    private String hpa;
    private String deployment;
    private long intervalMillis = 5000;
    private Consumer<ScalingSample> onSample = s -> {};

    private Builder() {}

    /** Prometheus base URL, e.g. {@code http://prometheus:9090}. Required. */
    public Builder prometheus(URI prometheus) {
      this.prometheus = prometheus;
      return this;
    }

    /** The HPA's namespace and name. Required. */
    public Builder hpa(String namespace, String name) {
      this.namespace = namespace;
      this.hpa = name;
      return this;
    }

    /**
     * The scaled Deployment. Default is the HPA's name (as in docs/CONTRACT.md: both {@code
     * surge}).
     */
    public Builder deployment(String deployment) {
      this.deployment = deployment;
      return this;
    }

    /** Poll interval. Default is 5 s. */
    public Builder intervalMillis(long millis) {
      this.intervalMillis = millis;
      return this;
    }

    /**
     * Also hands every sample to {@code listener} as it is taken (the live page), on the polling
     * thread; the listener must not block. Default is none.
     */
    public Builder onSample(Consumer<ScalingSample> listener) {
      this.onSample = listener;
      return this;
    }

    public PrometheusPoller build() {
      if (prometheus == null || hpa == null) {
        throw new IllegalStateException("prometheus and hpa are required");
      }
      return new PrometheusPoller(this);
    }
  }
}
