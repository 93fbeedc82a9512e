package dev.surge.hpa;

/**
 * The scaled Deployment's pod resources, summed over its containers, as the HPA and the cost
 * estimate see them.
 *
 * @param cpuRequestMillicores CPU request per pod (the utilization denominator)
 * @param memoryRequestBytes memory request per pod (for the cost estimate; 0 if none)
 * @param cpuLimitMillicores CPU limit per pod, 0 when unlimited (usage above it is throttled)
 */
public record Workload(
    long cpuRequestMillicores, long memoryRequestBytes, long cpuLimitMillicores) {
  public Workload {
    if (cpuRequestMillicores <= 0) {
      throw new IllegalArgumentException(
          "the Deployment's containers need a CPU request for a CPU utilization HPA, got "
              + cpuRequestMillicores
              + "m");
    }
  }
}
