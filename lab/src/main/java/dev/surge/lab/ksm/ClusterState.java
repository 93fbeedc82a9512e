package dev.surge.lab.ksm;

import java.util.List;

/**
 * What kube-state-metrics would see of the lab at one moment: the HPA, its Deployment and the pods.
 *
 * @param namespace the namespace the manifests put everything in
 * @param hpa the HPA's name
 * @param deployment the Deployment's name
 * @param minReplicas the HPA's minReplicas
 * @param maxReplicas the HPA's maxReplicas (after the lab's cap)
 * @param targetUtilizationPercent the CPU target
 * @param currentReplicas the Deployment's replicas
 * @param desiredReplicas the controller's last decision
 * @param utilizationPercent the utilization it saw, -1 without metrics
 * @param pods the pods that exist (deleted ones until they are gone)
 */
public record ClusterState(
    String namespace,
    String hpa,
    String deployment,
    int minReplicas,
    int maxReplicas,
    int targetUtilizationPercent,
    int currentReplicas,
    int desiredReplicas,
    int utilizationPercent,
    List<PodInfo> pods) {
  public ClusterState {
    pods = List.copyOf(pods);
  }

  /**
   * One pod.
   *
   * @param name pod name
   * @param phase Pending or Running
   * @param ready its Ready condition
   * @param cpuRequestCores CPU request in cores
   * @param memoryRequestBytes memory request in bytes
   */
  public record PodInfo(
      String name, String phase, boolean ready, double cpuRequestCores, long memoryRequestBytes) {}
}
