package dev.surge.lab.controller;

import dev.surge.hpa.MetricReadings;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.PodState;
import dev.surge.lab.metrics.UsageSampler;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The resource half of the lab's metrics APIs, as metrics-server answers {@code Resource} and
 * {@code ContainerResource} metrics (one container per pod here, so both read the pod): CPU in
 * millicores and the working set in milli-bytes, each averaged over the metric window by the {@link
 * UsageSampler}; requests from the pod template. {@code Pods}, {@code Object} and {@code External}
 * metrics have no answer here: {@link #compose} hands them to another {@link MetricReadings} (the
 * Prometheus-backed one), as the custom and external metrics APIs are separate services.
 *
 * <p>Thread-safety: stateless apart from the sampler, which is thread-safe.
 */
public final class ResourceReadings implements MetricReadings {
  private final UsageSampler sampler;
  private final long memoryRequestBytes;

  /**
   * @param sampler the pods' usage
   * @param memoryRequestBytes the pod template's memory request (0: none)
   */
  public ResourceReadings(UsageSampler sampler, long memoryRequestBytes) {
    this.sampler = sampler;
    this.memoryRequestBytes = memoryRequestBytes;
  }

  @Override
  public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
    if (!metric.isResource()) {
      return Optional.empty();
    }
    if (metric.isCpu()) {
      return pod.metric();
    }
    return sampler
        .memory(pod.name())
        .map(s -> new PodState.Metric(s.bytes() * 1000, s.timestamp(), s.windowSeconds()));
  }

  @Override
  public long podRequest(MetricSpec metric, PodState pod) {
    if (!metric.isResource()) {
      return 0;
    }
    return metric.isCpu() ? pod.requestMillicores() : memoryRequestBytes * 1000;
  }

  /**
   * Resource metrics from {@code resources}, every other metric from {@code others}: the two halves
   * stay separate classes, as metrics-server and the custom/external metrics adapters are.
   */
  public static MetricReadings compose(MetricReadings resources, MetricReadings others) {
    return new MetricReadings() {
      @Override
      public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
        return (metric.isResource() ? resources : others).podSample(metric, pod);
      }

      @Override
      public long podRequest(MetricSpec metric, PodState pod) {
        return (metric.isResource() ? resources : others).podRequest(metric, pod);
      }

      @Override
      public OptionalLong objectValue(MetricSpec metric) {
        return others.objectValue(metric);
      }

      @Override
      public OptionalLong externalValue(MetricSpec metric) {
        return others.externalValue(metric);
      }
    };
  }
}
