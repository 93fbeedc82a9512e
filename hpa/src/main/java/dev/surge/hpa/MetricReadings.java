package dev.surge.hpa;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the metrics APIs answer at one sync: metrics-server for {@code Resource} and {@code
 * ContainerResource}, the custom metrics API for {@code Pods} and {@code Object}, the external
 * metrics API for {@code External}. Values are milli-values, as the controller reads them.
 *
 * <p>Every method defaults to what a cluster without that API answers (nothing: empty, or no
 * request), so an implementation overrides only the APIs it serves; {@link #NONE} serves none.
 *
 * <p>{@link #cpuOnly()} answers CPU from each {@link PodState#metric()} and nothing else: an HPA
 * driven by it with other metrics sees those as failing, as a cluster without the adapter would.
 */
public interface MetricReadings {
  /**
   * The pod's sample of a per-pod metric, empty when the API has none for it. For resource metrics
   * {@link PodState.Metric#millicores()} holds the usage as a milli-value (millicores,
   * milli-bytes); for {@code Pods} metrics the metric's milli-value.
   */
  default Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
    return Optional.empty();
  }

  /** The pod's request for a resource metric as a milli-value; 0 when it has none. */
  default long podRequest(MetricSpec metric, PodState pod) {
    return 0;
  }

  /** An {@code Object} metric's value, empty when the API has none. */
  default OptionalLong objectValue(MetricSpec metric) {
    return OptionalLong.empty();
  }

  /** An {@code External} metric's value summed over its series, empty when the API has none. */
  default OptionalLong externalValue(MetricSpec metric) {
    return OptionalLong.empty();
  }

  /** No metrics API at all: every metric fails, as on a cluster without metrics-server. */
  MetricReadings NONE = new MetricReadings() {};

  /** CPU from {@link PodState#metric()} and {@link PodState#requestMillicores()}; nothing else. */
  static MetricReadings cpuOnly() {
    return new MetricReadings() {
      @Override
      public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
        return metric.isCpu() && metric.source() == MetricSpec.Source.RESOURCE
            ? pod.metric()
            : Optional.empty();
      }

      @Override
      public long podRequest(MetricSpec metric, PodState pod) {
        return metric.isCpu() ? pod.requestMillicores() : 0;
      }
    };
  }
}
