package dev.surge.loadgen.scaling;

import java.util.Map;

/**
 * One poll of Prometheus during a run. A figure Prometheus did not return is {@code null}.
 *
 * @param t seconds since the run started
 * @param currentReplicas {@code kube_horizontalpodautoscaler_status_current_replicas}
 * @param desiredReplicas {@code kube_horizontalpodautoscaler_status_desired_replicas}
 * @param readyReplicas {@code kube_deployment_status_replicas_ready}
 * @param podRates requests/s per pod from the app's {@code surge_http_requests_total}
 */
public record ScalingSample(
    double t,
    Integer currentReplicas,
    Integer desiredReplicas,
    Integer readyReplicas,
    Map<String, Double> podRates) {
  public ScalingSample {
    podRates = Map.copyOf(podRates);
  }
}
