package dev.surge.lab.monitoring;

import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.hpa.MetricReadings;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.PodState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The custom and external metrics APIs of the lab, answered from its real Prometheus as a cluster's
 * would be:
 *
 * <ul>
 *   <li>a {@code Pods} metric as prometheus-adapter answers it: the {@link AdapterRule} serving the
 *       metric's name, its {@code metricsQuery} run for every pod of the sync at once, one value
 *       per pod (a pod without a series has no sample, as with the adapter);
 *   <li>an {@code External} metric {@code s<i>-prometheus} as KEDA's metrics server answers it: the
 *       trigger's {@link KedaQuery} with KEDA's Prometheus-scaler rules.
 * </ul>
 *
 * {@code Object} metrics and resource metrics are not answered here (resource metrics come from the
 * lab's samplers, composed by the controller). A failing query is a missing metric, as when the
 * adapter cannot reach Prometheus; the last failure is kept for the timeline's reason.
 *
 * <p>Thread-safety: called from the controller's thread; results are cached for one second so that
 * one sync's calls (one per pod) run one query.
 */
public final class PrometheusReadings implements MetricReadings {
  private static final double CACHE_SECONDS = 1;

  private final Supplier<PrometheusProcess> prometheus;
  private final String namespace;
  private final List<AdapterRule> rules;
  private final Map<String, KedaQuery> keda;
  private final DoubleSupplier clock;
  private final Map<String, Cached> cache = new HashMap<>();
  private volatile String lastError = "";

  private record Cached(double at, Map<String, Double> values) {}

  /**
   * @param prometheus the running Prometheus (read at each query)
   * @param namespace the pods' namespace
   * @param rules the adapter's custom rules
   * @param keda the ScaledObject's prometheus triggers by External metric name
   * @param clock the lab's clock in seconds
   */
  public PrometheusReadings(
      Supplier<PrometheusProcess> prometheus,
      String namespace,
      List<AdapterRule> rules,
      Map<String, KedaQuery> keda,
      DoubleSupplier clock) {
    this.prometheus = prometheus;
    this.namespace = namespace;
    this.rules = List.copyOf(rules);
    this.keda = Map.copyOf(keda);
    this.clock = clock;
  }

  /** Whether {@code metric} is served here (a Pods metric of a rule, or a KEDA trigger). */
  public boolean serves(MetricSpec metric) {
    return switch (metric.source()) {
      case PODS -> rule(metric.name()).isPresent();
      case EXTERNAL -> keda.containsKey(metric.name());
      default -> false;
    };
  }

  /** The last query failure, empty when the last queries worked. */
  public String lastError() {
    return lastError;
  }

  private Optional<AdapterRule> rule(String metricName) {
    return rules.stream().filter(r -> r.metricName().equals(metricName)).findFirst();
  }

  @Override
  public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
    if (metric.source() != MetricSpec.Source.PODS) {
      return Optional.empty();
    }
    Optional<AdapterRule> rule = rule(metric.name());
    if (rule.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Double> values = podValues(rule.get(), pod);
    Double v = values.get(pod.name());
    return v == null || !Double.isFinite(v)
        ? Optional.empty()
        : Optional.of(new PodState.Metric(Math.round(v * 1000), clock.getAsDouble(), 60));
  }

  /**
   * One query for every pod of the ReplicaSet (cached for the sync): the pods' names share the
   * {@code <deployment>-<pod-template-hash>-} prefix, which stands for the HPA's selector.
   */
  private synchronized Map<String, Double> podValues(AdapterRule rule, PodState pod) {
    double now = clock.getAsDouble();
    Cached c = cache.get(rule.metricName());
    if (c != null && now - c.at() < CACHE_SECONDS) {
      return c.values();
    }
    Map<String, Double> values = new HashMap<>();
    // The adapter selects every pod of the HPA's selector; the lab's pods share one name prefix.
    String prefix = pod.name().substring(0, Math.max(0, pod.name().lastIndexOf('-') + 1));
    String query = rule.query(namespace, List.of(prefix + ".*"));
    try {
      for (PrometheusProcess.Sample s : prometheus.get().query(query)) {
        values.put(s.labels().getOrDefault(rule.podLabel(), ""), Double.parseDouble(s.value()));
      }
      lastError = "";
    } catch (RuntimeException e) {
      lastError = "custom metric " + rule.metricName() + ": " + e.getMessage();
    }
    cache.put(rule.metricName(), new Cached(now, values));
    return values;
  }

  @Override
  public OptionalLong externalValue(MetricSpec metric) {
    KedaQuery q = keda.get(metric.name());
    if (metric.source() != MetricSpec.Source.EXTERNAL || q == null) {
      return OptionalLong.empty();
    }
    try {
      List<PrometheusProcess.Sample> samples = prometheus.get().query(q.query());
      if (samples.size() > 1) {
        lastError =
            "KEDA trigger "
                + q.metricName()
                + ": prometheus query returned multiple elements ("
                + samples.size()
                + ")";
        return OptionalLong.empty();
      }
      if (samples.isEmpty()) {
        if (q.ignoreNullValues()) {
          lastError = "";
          return OptionalLong.of(0);
        }
        lastError = "KEDA trigger " + q.metricName() + ": prometheus query returned empty";
        return OptionalLong.empty();
      }
      double v = Double.parseDouble(samples.get(0).value());
      if (!Double.isFinite(v)) {
        lastError = "KEDA trigger " + q.metricName() + ": prometheus query returned " + v;
        return OptionalLong.empty();
      }
      lastError = "";
      return OptionalLong.of(Math.round(v * 1000));
    } catch (RuntimeException e) {
      lastError = "KEDA trigger " + q.metricName() + ": " + e.getMessage();
      return OptionalLong.empty();
    }
  }
}
