package dev.surge.cluster.kube;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Registers the series a cluster has and surge does not: kube-state-metrics' ({@code kube_*}) and
 * the kubelet's cAdvisor ({@code container_*}), under their real names, labels and types, read from
 * a {@link ClusterSnapshot} at every scrape. Through client_java, so escaping, types and the
 * exposition formats are the library's.
 *
 * <pre>{@code
 * PrometheusRegistry ksm = new PrometheusRegistry();
 * ClusterSeries.registerKubeStateMetrics(ksm, snapshots);
 * }</pre>
 */
public final class ClusterSeries {
  private static final List<String> PHASES =
      List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");
  private static final List<String> CONDITIONS =
      List.of("AbleToScale", "ScalingActive", "ScalingLimited");
  private static final String[] HPA = {"namespace", "horizontalpodautoscaler"};
  private static final String[] HPA_METRIC = {
    "namespace", "horizontalpodautoscaler", "metric_name", "metric_target_type"
  };
  private static final String[] DEPLOYMENT = {"namespace", "deployment"};
  private static final String[] CONTAINER = {"namespace", "pod", "uid", "container"};

  private ClusterSeries() {}

  /** kube-state-metrics' HPA, Deployment and pod series. */
  public static void registerKubeStateMetrics(
      PrometheusRegistry r, Supplier<ClusterSnapshot> snapshots) {
    registerHpa(r, snapshots);
    registerDeployment(r, snapshots);
    registerPods(r, snapshots);
  }

  private static void registerHpa(PrometheusRegistry r, Supplier<ClusterSnapshot> snapshots) {
    gauge(
        r,
        "kube_horizontalpodautoscaler_info",
        "Information about this autoscaler.",
        new String[] {
          "namespace",
          "horizontalpodautoscaler",
          "scaletargetref_api_version",
          "scaletargetref_kind",
          "scaletargetref_name"
        },
        cb -> {
          ClusterSnapshot s = snapshots.get();
          s.hpa()
              .ifPresent(
                  h ->
                      cb.call(
                          1,
                          s.namespace(),
                          h.name(),
                          "apps/v1",
                          "Deployment",
                          s.deployment().name()));
        });
    hpaGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_spec_min_replicas",
        "Lower limit for the number of pods that can be set by the autoscaler, default 1.",
        ClusterSnapshot.Hpa::minReplicas);
    hpaGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_spec_max_replicas",
        "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller"
            + " than MinReplicas.",
        ClusterSnapshot.Hpa::maxReplicas);
    hpaGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_status_current_replicas",
        "Current number of replicas of pods managed by this autoscaler.",
        ClusterSnapshot.Hpa::currentReplicas);
    hpaGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_status_desired_replicas",
        "Desired number of replicas of pods managed by this autoscaler.",
        ClusterSnapshot.Hpa::desiredReplicas);
    hpaMetricGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_spec_target_metric",
        "The metric specifications used by this autoscaler when calculating the desired replica"
            + " count.",
        ClusterSnapshot.Hpa::targets);
    hpaMetricGauge(
        r,
        snapshots,
        "kube_horizontalpodautoscaler_status_target_metric",
        "The current metric status used by this autoscaler when calculating the desired replica"
            + " count.",
        ClusterSnapshot.Hpa::current);
    gauge(
        r,
        "kube_horizontalpodautoscaler_status_condition",
        "The condition of this autoscaler.",
        new String[] {"namespace", "horizontalpodautoscaler", "condition", "status"},
        cb -> {
          ClusterSnapshot s = snapshots.get();
          s.hpa()
              .ifPresent(
                  h -> {
                    for (String c : CONDITIONS) {
                      Boolean v = h.conditions().get(c);
                      cb.call(v != null && v ? 1 : 0, s.namespace(), h.name(), c, "true");
                      cb.call(v != null && !v ? 1 : 0, s.namespace(), h.name(), c, "false");
                      cb.call(v == null ? 1 : 0, s.namespace(), h.name(), c, "unknown");
                    }
                  });
        });
  }

  /** One series per metric of the HPA: its targets or its current values. */
  private static void hpaMetricGauge(
      PrometheusRegistry r,
      Supplier<ClusterSnapshot> snapshots,
      String name,
      String help,
      Function<ClusterSnapshot.Hpa, List<ClusterSnapshot.MetricValue>> metrics) {
    gauge(
        r,
        name,
        help,
        HPA_METRIC,
        cb -> {
          ClusterSnapshot s = snapshots.get();
          s.hpa()
              .ifPresent(
                  h ->
                      metrics
                          .apply(h)
                          .forEach(
                              m ->
                                  cb.call(
                                      m.value(),
                                      s.namespace(),
                                      h.name(),
                                      m.metricName(),
                                      m.targetType())));
        });
  }

  private static void hpaGauge(
      PrometheusRegistry r,
      Supplier<ClusterSnapshot> snapshots,
      String name,
      String help,
      java.util.function.ToIntFunction<ClusterSnapshot.Hpa> value) {
    gauge(
        r,
        name,
        help,
        HPA,
        cb -> {
          ClusterSnapshot s = snapshots.get();
          s.hpa().ifPresent(h -> cb.call(value.applyAsInt(h), s.namespace(), h.name()));
        });
  }

  private static void registerDeployment(
      PrometheusRegistry r, Supplier<ClusterSnapshot> snapshots) {
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_spec_replicas",
        "Number of desired pods for a deployment.",
        s -> s.deployment().specReplicas());
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_status_replicas",
        "The number of replicas per deployment.",
        s -> (int) s.pods().stream().filter(p -> !terminal(p)).count());
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_status_replicas_ready",
        "The number of ready replicas per deployment.",
        ClusterSeries::ready);
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_status_replicas_available",
        "The number of available replicas per deployment.",
        ClusterSeries::ready);
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_status_replicas_unavailable",
        "The number of unavailable replicas per deployment.",
        s -> Math.max(0, s.deployment().specReplicas() - ready(s)));
    deploymentGauge(
        r,
        snapshots,
        "kube_deployment_status_replicas_updated",
        "The number of updated replicas per deployment.",
        s -> (int) s.pods().stream().filter(p -> !terminal(p)).count());
  }

  private static int ready(ClusterSnapshot s) {
    return (int) s.pods().stream().filter(ClusterSnapshot.PodInfo::ready).count();
  }

  private static boolean terminal(ClusterSnapshot.PodInfo p) {
    return p.phase().equals("Succeeded") || p.phase().equals("Failed");
  }

  private static void deploymentGauge(
      PrometheusRegistry r,
      Supplier<ClusterSnapshot> snapshots,
      String name,
      String help,
      java.util.function.ToIntFunction<ClusterSnapshot> value) {
    gauge(
        r,
        name,
        help,
        DEPLOYMENT,
        cb -> {
          ClusterSnapshot s = snapshots.get();
          cb.call(value.applyAsInt(s), s.namespace(), s.deployment().name());
        });
  }

  private interface PodCall {
    void call(ClusterSnapshot s, ClusterSnapshot.PodInfo p, ClusterSnapshot.Container c);
  }

  private static void forEachPod(Supplier<ClusterSnapshot> snapshots, PodCall call) {
    ClusterSnapshot s = snapshots.get();
    for (ClusterSnapshot.PodInfo p : s.pods()) {
      call.call(s, p, p.container());
    }
  }

  private static void registerPods(PrometheusRegistry r, Supplier<ClusterSnapshot> snapshots) {
    gauge(
        r,
        "kube_pod_info",
        "Information about pod.",
        new String[] {
          "namespace",
          "pod",
          "uid",
          "host_ip",
          "pod_ip",
          "node",
          "created_by_kind",
          "created_by_name",
          "priority_class",
          "host_network"
        },
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) ->
                    cb.call(
                        1,
                        s.namespace(),
                        p.name(),
                        p.uid(),
                        "127.0.0.1",
                        "127.0.0.1",
                        s.node(),
                        "ReplicaSet",
                        s.deployment().replicaSet(),
                        "",
                        "false")));
    gauge(
        r,
        "kube_pod_owner",
        "Information about the Pod's owner.",
        new String[] {"namespace", "pod", "uid", "owner_kind", "owner_name", "owner_is_controller"},
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) ->
                    cb.call(
                        1,
                        s.namespace(),
                        p.name(),
                        p.uid(),
                        "ReplicaSet",
                        s.deployment().replicaSet(),
                        "true")));
    gauge(
        r,
        "kube_pod_status_phase",
        "The pods current phase.",
        new String[] {"namespace", "pod", "uid", "phase"},
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) -> {
                  for (String phase : PHASES) {
                    cb.call(
                        phase.equals(p.phase()) ? 1 : 0, s.namespace(), p.name(), p.uid(), phase);
                  }
                }));
    gauge(
        r,
        "kube_pod_status_ready",
        "Describes whether the pod is ready to serve requests.",
        new String[] {"namespace", "pod", "uid", "condition"},
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) -> {
                  cb.call(p.ready() ? 1 : 0, s.namespace(), p.name(), p.uid(), "true");
                  cb.call(p.ready() ? 0 : 1, s.namespace(), p.name(), p.uid(), "false");
                  cb.call(0, s.namespace(), p.name(), p.uid(), "unknown");
                }));
    gauge(
        r,
        "kube_pod_container_info",
        "Information about a container in a pod.",
        new String[] {
          "namespace", "pod", "uid", "container", "image_spec", "image", "image_id", "container_id"
        },
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) ->
                    cb.call(
                        1,
                        s.namespace(),
                        p.name(),
                        p.uid(),
                        c.name(),
                        c.image(),
                        c.image(),
                        "",
                        "containerd://" + p.uid())));
    containerGauge(
        r,
        snapshots,
        "kube_pod_container_status_ready",
        "Describes whether the containers readiness check succeeded.",
        (p, c) -> p.ready() ? 1 : 0);
    containerGauge(
        r,
        snapshots,
        "kube_pod_container_status_running",
        "Describes whether the container is currently in running state.",
        (p, c) -> c.state().equals("running") ? 1 : 0);
    containerGauge(
        r,
        snapshots,
        "kube_pod_container_status_waiting",
        "Describes whether the container is currently in waiting state.",
        (p, c) -> c.state().equals("waiting") ? 1 : 0);
    containerGauge(
        r,
        snapshots,
        "kube_pod_container_status_terminated",
        "Describes whether the container is currently in terminated state.",
        (p, c) -> c.state().equals("terminated") ? 1 : 0);
    CounterWithCallback.builder()
        .name("kube_pod_container_status_restarts_total")
        .help("The number of container restarts per container.")
        .labelNames(CONTAINER)
        .callback(
            cb ->
                forEachPod(
                    snapshots,
                    (s, p, c) -> cb.call(c.restarts(), s.namespace(), p.name(), p.uid(), c.name())))
        .register(r);
    reasonGauge(
        r,
        snapshots,
        "kube_pod_container_status_waiting_reason",
        "Describes the reason the container is currently in waiting state.",
        ClusterSnapshot.Container::waitingReason);
    reasonGauge(
        r,
        snapshots,
        "kube_pod_container_status_last_terminated_reason",
        "Describes the last reason the container was in terminated state.",
        ClusterSnapshot.Container::lastTerminatedReason);
    String[] resource = {"namespace", "pod", "uid", "container", "node", "resource", "unit"};
    gauge(
        r,
        "kube_pod_container_resource_requests",
        "The number of requested request resource by a container.",
        resource,
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) -> resources(cb, s, p, c, c.cpuRequestCores(), c.memoryRequestBytes())));
    gauge(
        r,
        "kube_pod_container_resource_limits",
        "The number of requested limit resource by a container.",
        resource,
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) -> resources(cb, s, p, c, c.cpuLimitCores(), c.memoryLimitBytes())));
  }

  /** A container's reason series: 1 with the reason as a label, none while it has no reason. */
  private static void reasonGauge(
      PrometheusRegistry r,
      Supplier<ClusterSnapshot> snapshots,
      String name,
      String help,
      Function<ClusterSnapshot.Container, String> reason) {
    gauge(
        r,
        name,
        help,
        new String[] {"namespace", "pod", "uid", "container", "reason"},
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) -> {
                  String why = reason.apply(c);
                  if (!why.isEmpty()) {
                    cb.call(1, s.namespace(), p.name(), p.uid(), c.name(), why);
                  }
                }));
  }

  private static void resources(
      GaugeWithCallback.Callback cb,
      ClusterSnapshot s,
      ClusterSnapshot.PodInfo p,
      ClusterSnapshot.Container c,
      double cores,
      long bytes) {
    if (cores > 0) {
      cb.call(cores, s.namespace(), p.name(), p.uid(), c.name(), s.node(), "cpu", "core");
    }
    if (bytes > 0) {
      cb.call(bytes, s.namespace(), p.name(), p.uid(), c.name(), s.node(), "memory", "byte");
    }
  }

  private static void containerGauge(
      PrometheusRegistry r,
      Supplier<ClusterSnapshot> snapshots,
      String name,
      String help,
      java.util.function.ToDoubleBiFunction<ClusterSnapshot.PodInfo, ClusterSnapshot.Container>
          value) {
    gauge(
        r,
        name,
        help,
        CONTAINER,
        cb ->
            forEachPod(
                snapshots,
                (s, p, c) ->
                    cb.call(
                        value.applyAsDouble(p, c), s.namespace(), p.name(), p.uid(), c.name())));
  }

  /**
   * cAdvisor's container series, as the kubelet serves them on {@code /metrics/cadvisor}: one
   * series per container and one for the pod's own cgroup ({@code container=""}), which queries
   * must filter out ({@code container!=""}) or they count everything twice. Only running containers
   * are reported, as cAdvisor reports live cgroups.
   */
  public static void registerCadvisor(PrometheusRegistry r, Supplier<ClusterSnapshot> snapshots) {
    String[] labels = {"namespace", "pod", "container", "image", "id", "name"};
    CounterWithCallback.builder()
        .name("container_cpu_usage_seconds_total")
        .help("Cumulative cpu time consumed in seconds.")
        .labelNames(labels)
        .callback(cb -> cgroups(snapshots, ClusterSnapshot.Container::cpuSeconds, cb::call))
        .register(r);
    gauge(
        r,
        "container_memory_working_set_bytes",
        "Current working set in bytes.",
        labels,
        cb -> cgroups(snapshots, ClusterSnapshot.Container::workingSetBytes, cb::call));
    gauge(
        r,
        "container_spec_memory_limit_bytes",
        "Memory limit for the container.",
        labels,
        cb -> cgroups(snapshots, c -> c.memoryLimitBytes(), cb::call));
  }

  /** Where one cAdvisor sample goes (both callback types of client_java fit). */
  private interface Sample {
    void call(double value, String... labelValues);
  }

  /** One sample for each running container's cgroup and one for its pod's. */
  private static void cgroups(
      Supplier<ClusterSnapshot> snapshots,
      ToDoubleFunction<ClusterSnapshot.Container> value,
      Sample sample) {
    forEachPod(
        snapshots,
        (s, p, c) -> {
          if (!c.state().equals("running")) {
            return;
          }
          String pod = cgroup(p.uid());
          double v = value.applyAsDouble(c);
          sample.call(
              v,
              s.namespace(),
              p.name(),
              c.name(),
              c.image(),
              pod + "/" + c.name(),
              c.name() + "-" + p.uid());
          sample.call(v, s.namespace(), p.name(), "", "", pod, "");
        });
  }

  private static String cgroup(String uid) {
    return "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
        + uid.replace('-', '_')
        + ".slice";
  }

  private static void gauge(
      PrometheusRegistry r,
      String name,
      String help,
      String[] labels,
      Consumer<GaugeWithCallback.Callback> callback) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .callback(callback)
        .register(r);
  }
}
