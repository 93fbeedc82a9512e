package dev.surge.cluster.kube;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves the {@link ClusterSeries} as a cluster has them: kube-state-metrics on {@code /metrics}
 * and the kubelet's cAdvisor on {@link #CADVISOR_PATH}, two HTTP servers on free loopback ports
 * (two scrape targets, as in a cluster). One snapshot serves every family of a scrape: it is taken
 * at most every {@code 200 ms}.
 *
 * <p>Thread-safety: the supplier is called from the servers' threads, one call at a time.
 *
 * <pre>{@code
 * try (ClusterExporter cluster = ClusterExporter.start(() -> snapshotOfTheLab())) {
 *   cluster.kubeStateMetricsPort(); cluster.cadvisorPort();
 * }
 * }</pre>
 */
public final class ClusterExporter implements AutoCloseable {
  /** cAdvisor's metrics path on the kubelet, as kube-prometheus-stack scrapes it. */
  public static final String CADVISOR_PATH = "/metrics/cadvisor";

  private static final long REUSE_NANOS = 200_000_000L;

  private final HTTPServer kubeStateMetrics;
  private final HTTPServer cadvisor;

  private ClusterExporter(HTTPServer kubeStateMetrics, HTTPServer cadvisor) {
    this.kubeStateMetrics = kubeStateMetrics;
    this.cadvisor = cadvisor;
  }

  /**
   * Starts both servers on free ports of 127.0.0.1.
   *
   * @param snapshots what the cluster looks like now
   * @throws IOException when a server cannot bind
   */
  public static ClusterExporter start(Supplier<ClusterSnapshot> snapshots) throws IOException {
    Supplier<ClusterSnapshot> cached = new Cached(Objects.requireNonNull(snapshots));
    PrometheusRegistry ksm = new PrometheusRegistry();
    ClusterSeries.registerKubeStateMetrics(ksm, cached);
    PrometheusRegistry kubelet = new PrometheusRegistry();
    ClusterSeries.registerCadvisor(kubelet, cached);
    HTTPServer k = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(ksm).buildAndStart();
    try {
      HTTPServer c =
          HTTPServer.builder()
              .hostname("127.0.0.1")
              .port(0)
              .registry(kubelet)
              .metricsHandlerPath(CADVISOR_PATH)
              .buildAndStart();
      return new ClusterExporter(k, c);
    } catch (IOException | RuntimeException e) {
      k.close();
      throw e;
    }
  }

  /** Port of the kube-state-metrics endpoint ({@code /metrics}). */
  public int kubeStateMetricsPort() {
    return kubeStateMetrics.getPort();
  }

  /** Port of the cAdvisor endpoint ({@link #CADVISOR_PATH}). */
  public int cadvisorPort() {
    return cadvisor.getPort();
  }

  @Override
  public void close() {
    try {
      kubeStateMetrics.close();
    } finally {
      cadvisor.close();
    }
  }

  /** The last snapshot while it is younger than {@link #REUSE_NANOS}. */
  private static final class Cached implements Supplier<ClusterSnapshot> {
    private final Supplier<ClusterSnapshot> source;
    private ClusterSnapshot last;
    private long takenAt;

    Cached(Supplier<ClusterSnapshot> source) {
      this.source = source;
    }

    @Override
    public synchronized ClusterSnapshot get() {
      long now = System.nanoTime();
      if (last == null || now - takenAt > REUSE_NANOS) {
        last = source.get();
        takenAt = now;
      }
      return last;
    }
  }
}
