package dev.surge.systest.stack;

import dev.surge.cluster.kube.ClusterSnapshot;
import dev.surge.cluster.proc.ProcessUsage;
import dev.surge.hpa.HpaSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the cluster would report of the stack test's one app pod and its HPA, for the shared emitter
 * ({@link dev.surge.cluster.kube.ClusterExporter}): the Deployment's requests and limits, the live
 * CPU seconds and resident memory of the real app process, and the HPA's status computed from them
 * — its CPU utilization over at least a second, and the desired replicas by Kubernetes' formula
 * {@code ceil(current × utilization / target)} clamped to [min, max] (no tolerance band or
 * stabilization window: one pod does not scale here).
 *
 * <p>Thread-safety: {@link #get()} is called from the exporter's threads, one at a time.
 */
final class StackCluster implements Supplier<ClusterSnapshot> {
  private static final long MIN_WINDOW_NANOS = 1_000_000_000L;

  private final String namespace;
  private final HpaSpec hpa;
  private final String pod;
  private final String uid;
  private final ClusterSnapshot.Container declared;
  private final ProcessHandle process;
  private long referenceNanos;
  private double referenceCpu;
  private double utilization;

  /**
   * @param namespace the manifests' namespace
   * @param hpa the HPA as the manifest declares it
   * @param pod the pod's name
   * @param declared the container as the Deployment declares it (usage fields are ignored)
   * @param process the app process standing in for the container
   */
  StackCluster(
      String namespace,
      HpaSpec hpa,
      String pod,
      ClusterSnapshot.Container declared,
      ProcessHandle process) {
    this.namespace = namespace;
    this.hpa = hpa;
    this.pod = pod;
    this.uid = UUID.nameUUIDFromBytes(pod.getBytes(StandardCharsets.UTF_8)).toString();
    this.declared = declared;
    this.process = process;
    this.referenceNanos = System.nanoTime();
    this.referenceCpu = ProcessUsage.cpuSeconds(process.pid()).orElse(0.0);
  }

  @Override
  public synchronized ClusterSnapshot get() {
    double cpu = ProcessUsage.cpuSeconds(process.pid()).orElse(0.0);
    long now = System.nanoTime();
    if (now - referenceNanos >= MIN_WINDOW_NANOS) {
      double cores = Math.max(0, cpu - referenceCpu) / ((now - referenceNanos) / 1e9);
      utilization = 100 * cores / declared.cpuRequestCores();
      referenceNanos = now;
      referenceCpu = cpu;
    }
    int target = hpa.targetUtilizationPercent();
    int raw = target > 0 ? Math.max(1, (int) Math.ceil(utilization / target)) : 1;
    int desired = Math.max(hpa.minReplicas(), Math.min(hpa.maxReplicas(), raw));
    ClusterSnapshot.Container c =
        new ClusterSnapshot.Container(
            declared.name(),
            declared.image(),
            declared.cpuRequestCores(),
            declared.memoryRequestBytes(),
            declared.cpuLimitCores(),
            declared.memoryLimitBytes(),
            "running",
            "",
            0,
            "",
            cpu,
            ProcessUsage.workingSetBytes(process.pid()).orElse(0L));
    return new ClusterSnapshot(
        namespace,
        "fixture-node-1",
        new ClusterSnapshot.Deployment(hpa.targetName(), hpa.targetName() + "-5d8f7c9b4", 1),
        Optional.of(
            new ClusterSnapshot.Hpa(
                hpa.name(),
                hpa.minReplicas(),
                hpa.maxReplicas(),
                hpa.metrics().stream().map(ClusterSnapshot.MetricValue::target).toList(),
                List.of(
                    new ClusterSnapshot.MetricValue("cpu", "utilization", Math.round(utilization))),
                1,
                desired,
                Map.of(
                    "AbleToScale", true, "ScalingActive", true, "ScalingLimited", raw != desired))),
        List.of(new ClusterSnapshot.PodInfo(pod, uid, "Running", true, c)));
  }
}
