package dev.surge.lab.ksm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A small endpoint that serves the lab's state as the kube-state-metrics series our dashboards,
 * recording rules and {@code run --prometheus --hpa} read — under their real names and labels
 * ({@code kube_horizontalpodautoscaler_status_current_replicas}, {@code
 * kube_deployment_status_replicas_ready}, {@code kube_pod_container_resource_requests}, ...).
 *
 * <pre>{@code
 * try (KubeStateMetrics ksm = KubeStateMetrics.start(stateSupplier)) { ksm.port(); }
 * }</pre>
 */
public final class KubeStateMetrics implements AutoCloseable {
  private final HttpServer server;

  private KubeStateMetrics(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code /metrics} on a free loopback port. */
  public static KubeStateMetrics start(Supplier<ClusterState> state) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = render(state.get()).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return new KubeStateMetrics(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The exposition text for one state. */
  static String render(ClusterState s) {
    StringBuilder b = new StringBuilder();
    String hpa = "namespace=\"" + s.namespace() + "\",horizontalpodautoscaler=\"" + s.hpa() + "\"";
    String dep = "namespace=\"" + s.namespace() + "\",deployment=\"" + s.deployment() + "\"";
    gauge(
        b,
        "kube_horizontalpodautoscaler_info",
        List.of(
            hpa
                + ",scaletargetref_api_version=\"apps/v1\",scaletargetref_kind=\"Deployment\""
                + ",scaletargetref_name=\""
                + s.deployment()
                + "\""),
        1);
    gauge(b, "kube_horizontalpodautoscaler_spec_min_replicas", List.of(hpa), s.minReplicas());
    gauge(b, "kube_horizontalpodautoscaler_spec_max_replicas", List.of(hpa), s.maxReplicas());
    String cpu = hpa + ",metric_name=\"cpu\",metric_target_type=\"utilization\"";
    gauge(
        b,
        "kube_horizontalpodautoscaler_spec_target_metric",
        List.of(cpu),
        s.targetUtilizationPercent());
    if (s.utilizationPercent() >= 0) {
      gauge(
          b,
          "kube_horizontalpodautoscaler_status_target_metric",
          List.of(cpu),
          s.utilizationPercent());
    }
    gauge(
        b,
        "kube_horizontalpodautoscaler_status_current_replicas",
        List.of(hpa),
        s.currentReplicas());
    gauge(
        b,
        "kube_horizontalpodautoscaler_status_desired_replicas",
        List.of(hpa),
        s.desiredReplicas());
    long ready = s.pods().stream().filter(ClusterState.PodInfo::ready).count();
    gauge(b, "kube_deployment_spec_replicas", List.of(dep), s.currentReplicas());
    gauge(b, "kube_deployment_status_replicas", List.of(dep), s.pods().size());
    gauge(b, "kube_deployment_status_replicas_ready", List.of(dep), ready);
    gauge(b, "kube_deployment_status_replicas_available", List.of(dep), ready);
    gauge(
        b,
        "kube_deployment_status_replicas_unavailable",
        List.of(dep),
        Math.max(0, s.currentReplicas() - ready));
    header(b, "kube_pod_info");
    header(b, "kube_pod_status_ready");
    header(b, "kube_pod_status_phase");
    header(b, "kube_pod_container_resource_requests");
    StringBuilder info = new StringBuilder();
    StringBuilder readyLines = new StringBuilder();
    StringBuilder phases = new StringBuilder();
    StringBuilder requests = new StringBuilder();
    for (ClusterState.PodInfo p : s.pods()) {
      String pod = "namespace=\"" + s.namespace() + "\",pod=\"" + p.name() + "\"";
      line(
          info,
          "kube_pod_info",
          pod + ",created_by_kind=\"ReplicaSet\",node=\"lab\",host_network=\"false\"",
          1);
      for (String c : List.of("true", "false", "unknown")) {
        boolean v = c.equals("true") ? p.ready() : c.equals("false") && !p.ready();
        line(readyLines, "kube_pod_status_ready", pod + ",condition=\"" + c + "\"", v ? 1 : 0);
      }
      for (String ph : List.of("Pending", "Running", "Succeeded", "Failed", "Unknown")) {
        line(
            phases,
            "kube_pod_status_phase",
            pod + ",phase=\"" + ph + "\"",
            ph.equals(p.phase()) ? 1 : 0);
      }
      String container = pod + ",container=\"app\",node=\"lab\"";
      line(
          requests,
          "kube_pod_container_resource_requests",
          container + ",resource=\"cpu\",unit=\"core\"",
          p.cpuRequestCores());
      if (p.memoryRequestBytes() > 0) {
        line(
            requests,
            "kube_pod_container_resource_requests",
            container + ",resource=\"memory\",unit=\"byte\"",
            p.memoryRequestBytes());
      }
    }
    // One family's lines stay together, after its header, as the text format requires.
    return b.toString()
        .replace("# TYPE kube_pod_info gauge\n", "# TYPE kube_pod_info gauge\n" + info)
        .replace(
            "# TYPE kube_pod_status_ready gauge\n",
            "# TYPE kube_pod_status_ready gauge\n" + readyLines)
        .replace(
            "# TYPE kube_pod_status_phase gauge\n", "# TYPE kube_pod_status_phase gauge\n" + phases)
        .replace(
            "# TYPE kube_pod_container_resource_requests gauge\n",
            "# TYPE kube_pod_container_resource_requests gauge\n" + requests);
  }

  private static void header(StringBuilder b, String name) {
    b.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static void gauge(StringBuilder b, String name, List<String> labelSets, double value) {
    header(b, name);
    for (String labels : labelSets) {
      line(b, name, labels, value);
    }
  }

  private static void line(StringBuilder b, String name, String labels, double value) {
    b.append(name)
        .append('{')
        .append(labels)
        .append("} ")
        .append(
            value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value))
        .append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
