package dev.surge.cluster.kube;

import dev.surge.hpa.MetricSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What kube-state-metrics and the kubelet's cAdvisor see of one workload at one moment: its
 * Deployment, the HPA that scales it (if any) and its pods. The lab builds one from its pods and
 * controller at every scrape; the system tests from the process they run.
 *
 * @param namespace the namespace of every object
 * @param node the node every pod runs on
 * @param deployment the Deployment
 * @param hpa the HorizontalPodAutoscaler of the Deployment, empty without one
 * @param pods the pods that exist (terminating ones until they are gone)
 */
public record ClusterSnapshot(
    String namespace, String node, Deployment deployment, Optional<Hpa> hpa, List<PodInfo> pods) {
  public ClusterSnapshot {
    pods = List.copyOf(pods);
  }

  /**
   * A Deployment and its current ReplicaSet.
   *
   * @param name the Deployment's name
   * @param replicaSet the current ReplicaSet's name ({@code <deployment>-<pod-template-hash>})
   * @param specReplicas {@code spec.replicas}
   */
  public record Deployment(String name, String replicaSet, int specReplicas) {}

  /**
   * An autoscaling/v2 HorizontalPodAutoscaler's spec and status, with kube-state-metrics' metric
   * labels ({@code metric_name} = {@code cpu}, {@code memory} or the custom metric's name; {@code
   * metric_target_type} = {@code utilization}, {@code average} or {@code value}).
   *
   * @param name the HPA's name
   * @param minReplicas {@code spec.minReplicas}
   * @param maxReplicas {@code spec.maxReplicas}
   * @param targets {@code spec.metrics[].target}
   * @param current {@code status.currentMetrics} (empty before the first sync or without metrics)
   * @param currentReplicas {@code status.currentReplicas}
   * @param desiredReplicas {@code status.desiredReplicas}
   * @param conditions {@code status.conditions}: AbleToScale, ScalingActive, ScalingLimited →
   *     status
   */
  public record Hpa(
      String name,
      int minReplicas,
      int maxReplicas,
      List<MetricValue> targets,
      List<MetricValue> current,
      int currentReplicas,
      int desiredReplicas,
      Map<String, Boolean> conditions) {
    public Hpa {
      targets = List.copyOf(targets);
      current = List.copyOf(current);
      conditions = Map.copyOf(conditions);
    }
  }

  /**
   * One metric's target or current value as kube-state-metrics labels it.
   *
   * @param metricName {@code cpu}, {@code memory} or the Pods/Object/External metric's name
   * @param targetType {@code utilization}, {@code average} or {@code value}
   * @param value percent for utilization, else the value (not a milli-value)
   */
  public record MetricValue(String metricName, String targetType, double value) {
    /** The target of an HPA metric as kube-state-metrics reports it. */
    public static MetricValue target(MetricSpec metric) {
      return of(metric, metric.target());
    }

    /**
     * A metric's current value as kube-state-metrics reports it.
     *
     * @param current percent for a utilization target, else a milli-value (as {@link
     *     dev.surge.hpa.HpaController.MetricProposal#current()})
     */
    public static MetricValue of(MetricSpec metric, long current) {
      return switch (metric.targetType()) {
        case UTILIZATION -> new MetricValue(metric.name(), "utilization", current);
        case AVERAGE_VALUE -> new MetricValue(metric.name(), "average", current / 1000.0);
        case VALUE -> new MetricValue(metric.name(), "value", current / 1000.0);
      };
    }
  }

  /**
   * One pod with its one container.
   *
   * @param name the pod's name
   * @param uid the pod's uid
   * @param phase {@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed} or {@code
   *     Unknown}
   * @param ready the pod's Ready condition
   * @param container its container
   */
  public record PodInfo(
      String name, String uid, String phase, boolean ready, Container container) {}

  /**
   * A container: what the Deployment declares, its state as the kubelet reports it, and its usage
   * as cAdvisor measures it.
   *
   * @param name the container's name
   * @param image its image
   * @param cpuRequestCores CPU request in cores (0: none)
   * @param memoryRequestBytes memory request (0: none)
   * @param cpuLimitCores CPU limit in cores (0: none)
   * @param memoryLimitBytes memory limit (0: none)
   * @param state {@code running}, {@code waiting} or {@code terminated}
   * @param waitingReason why it is waiting ({@code ContainerCreating}, {@code CrashLoopBackOff}),
   *     empty when not waiting
   * @param restarts the restart count
   * @param lastTerminatedReason the reason of its last termination ({@code Error}, {@code
   *     OOMKilled}, {@code Completed}), empty before the first
   * @param cpuSeconds the CPU seconds it has used (cAdvisor's counter)
   * @param workingSetBytes its working set now (for a process: resident memory)
   */
  public record Container(
      String name,
      String image,
      double cpuRequestCores,
      long memoryRequestBytes,
      double cpuLimitCores,
      long memoryLimitBytes,
      String state,
      String waitingReason,
      int restarts,
      String lastTerminatedReason,
      double cpuSeconds,
      double workingSetBytes) {}
}
