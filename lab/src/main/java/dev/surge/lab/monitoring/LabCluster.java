package dev.surge.lab.monitoring;

import dev.surge.cluster.kube.ClusterSnapshot;
import dev.surge.cluster.proc.ProcessUsage;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.MetricSpec;
import dev.surge.lab.controller.TimelineEntry;
import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.PodTemplate;
import dev.surge.lab.pod.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What kube-state-metrics and cAdvisor would report of the lab now, for the shared emitter: the
 * Deployment and its pods from the {@link ReplicaSet} (phase, readiness, the container's restarts
 * and reasons from {@link Pod#status()}), each container's CPU seconds and resident memory from its
 * process (cAdvisor's counter and working set, minus the cgroup), the requests and limits from the
 * pod template, and the HPA's spec and status from the controller's last sync.
 *
 * <p>Thread-safety: reads snapshots of thread-safe state; any thread may call {@link #get()}.
 */
final class LabCluster implements Supplier<ClusterSnapshot> {
  private static final Set<String> LIMITED =
      Set.of("TooManyReplicas", "TooFewReplicas", "ScaleUpLimit", "ScaleDownLimit");

  private final String namespace;
  private final HpaSpec hpa;
  private final PodTemplate template;
  private final String container;
  private final String image;
  private final ReplicaSet pods;
  private final Supplier<TimelineEntry> latest;

  LabCluster(
      String namespace,
      HpaSpec hpa,
      PodTemplate template,
      String container,
      String image,
      ReplicaSet pods,
      Supplier<TimelineEntry> latest) {
    this.namespace = namespace;
    this.hpa = hpa;
    this.template = template;
    this.container = container;
    this.image = image;
    this.pods = pods;
    this.latest = latest;
  }

  /** A reading in kube-state-metrics' terms: percent, cores, bytes or the metric's value. */
  static ClusterSnapshot.MetricValue value(MetricSpec spec, TimelineEntry.MetricReading r) {
    String type =
        switch (spec.targetType()) {
          case UTILIZATION -> "utilization";
          case AVERAGE_VALUE -> "average";
          case VALUE -> "value";
        };
    double v = r.unit().equals("m") ? r.current() / 1000.0 : r.current();
    return new ClusterSnapshot.MetricValue(spec.name(), type, v);
  }

  @Override
  public ClusterSnapshot get() {
    List<ClusterSnapshot.PodInfo> infos = new ArrayList<>();
    for (Pod p : pods.pods()) {
      if (p.phase() == Pod.Phase.EXITED) {
        continue;
      }
      Pod.ContainerStatus s = p.status();
      long pid = p.pid();
      String state =
          s.running() ? "running" : s.waitingReason().isEmpty() ? "terminated" : "waiting";
      ClusterSnapshot.Container c =
          new ClusterSnapshot.Container(
              container,
              image,
              template.cpuRequestMillicores() / 1000.0,
              template.memoryRequestBytes(),
              0,
              template.memoryLimitBytes(),
              state,
              s.waitingReason(),
              s.restartCount(),
              s.lastTerminatedReason(),
              pid > 0 ? ProcessUsage.cpuSeconds(pid).orElse(0.0) : 0,
              pid > 0 ? ProcessUsage.workingSetBytes(pid).orElse(0L) : 0);
      infos.add(
          new ClusterSnapshot.PodInfo(
              p.name(),
              UUID.nameUUIDFromBytes(p.name().getBytes(StandardCharsets.UTF_8)).toString(),
              p.phase() == Pod.Phase.PENDING ? "Pending" : "Running",
              p.ready() && p.phase() == Pod.Phase.RUNNING,
              c));
    }
    TimelineEntry e = latest.get();
    int replicas = pods.replicas();
    List<ClusterSnapshot.MetricValue> current = new ArrayList<>();
    if (e != null) {
      // The sync's readings are in the HPA's metric order (status.currentMetrics).
      for (int i = 0; i < Math.min(e.metrics().size(), hpa.metrics().size()); i++) {
        TimelineEntry.MetricReading r = e.metrics().get(i);
        if (r.current() >= 0) {
          current.add(value(hpa.metrics().get(i), r));
        }
      }
    }
    String reason = e == null ? "" : e.reason();
    ClusterSnapshot.Hpa status =
        new ClusterSnapshot.Hpa(
            hpa.name(),
            hpa.minReplicas(),
            hpa.maxReplicas(),
            hpa.metrics().stream().map(ClusterSnapshot.MetricValue::target).toList(),
            current,
            replicas,
            e == null ? replicas : e.desiredReplicas(),
            Map.of(
                "AbleToScale",
                true,
                "ScalingActive",
                e == null || !reason.startsWith("FailedGet"),
                "ScalingLimited",
                LIMITED.contains(reason)));
    return new ClusterSnapshot(
        namespace,
        "lab",
        new ClusterSnapshot.Deployment(
            hpa.targetName(), template.deployment() + "-" + template.templateHash(), replicas),
        Optional.of(status),
        infos);
  }
}
