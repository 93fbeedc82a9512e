package dev.surge.hpa;

import java.util.Map;

/**
 * The scaled Deployment's pod resources, summed over its containers, as the HPA and the cost
 * estimate see them.
 *
 * @param cpuRequestMillicores CPU request per pod (the CPU utilization denominator; 0 if none)
 * @param memoryRequestBytes memory request per pod (the memory utilization denominator and the
 *     cost; 0 if none)
 * @param cpuLimitMillicores CPU limit per pod, 0 when unlimited (usage above it is throttled)
 * @param containers each container's requests, by name (for {@code ContainerResource} metrics);
 *     empty when the requests came from flags
 */
public record Workload(
    long cpuRequestMillicores,
    long memoryRequestBytes,
    long cpuLimitMillicores,
    Map<String, ContainerRequests> containers) {

  /** One container's requests. */
  public record ContainerRequests(long cpuMillicores, long memoryBytes) {}

  public Workload {
    if (cpuRequestMillicores < 0 || memoryRequestBytes < 0 || cpuLimitMillicores < 0) {
      throw new IllegalArgumentException(
          "requests and limits must be >= 0, got cpu "
              + cpuRequestMillicores
              + "m, memory "
              + memoryRequestBytes
              + ", limit "
              + cpuLimitMillicores
              + "m");
    }
    containers = Map.copyOf(containers);
  }

  /** A pod whose container breakdown is unknown. */
  public Workload(long cpuRequestMillicores, long memoryRequestBytes, long cpuLimitMillicores) {
    this(cpuRequestMillicores, memoryRequestBytes, cpuLimitMillicores, Map.of());
  }

  /**
   * The share of the pod's {@code resource} request that {@code container} holds: 1 when the
   * breakdown is unknown or the pod has one container.
   */
  public double containerShare(String container, String resource) {
    ContainerRequests c = containers.get(container);
    if (c == null || containers.size() == 1) {
      return 1;
    }
    long pod = resource.equals("cpu") ? cpuRequestMillicores : memoryRequestBytes;
    long own = resource.equals("cpu") ? c.cpuMillicores() : c.memoryBytes();
    return pod <= 0 ? 1 : (double) own / pod;
  }
}
