package dev.surge.lab.monitoring;

import dev.surge.hpa.MetricReadings;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.PodState;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lab's metrics APIs composed: {@code Resource} and {@code ContainerResource} metrics from the
 * lab's samplers (metrics-server), every other metric from Prometheus (the custom and external
 * metrics APIs, as prometheus-adapter and KEDA serve them).
 */
public final class RoutedReadings implements MetricReadings {
  private final MetricReadings resource;
  private final MetricReadings custom;

  public RoutedReadings(MetricReadings resource, MetricReadings custom) {
    this.resource = resource;
    this.custom = custom;
  }

  private MetricReadings of(MetricSpec metric) {
    return metric.isResource() ? resource : custom;
  }

  @Override
  public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
    return of(metric).podSample(metric, pod);
  }

  @Override
  public long podRequest(MetricSpec metric, PodState pod) {
    return of(metric).podRequest(metric, pod);
  }

  @Override
  public OptionalLong objectValue(MetricSpec metric) {
    return of(metric).objectValue(metric);
  }

  @Override
  public OptionalLong externalValue(MetricSpec metric) {
    return of(metric).externalValue(metric);
  }
}
