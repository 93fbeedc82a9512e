package dev.surge.lab.monitoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.kube.ClusterExporter;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.cluster.prometheus.AlertmanagerConfigs;
import dev.surge.cluster.prometheus.AlertmanagerProcess;
import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.cluster.prometheus.WebhookSink;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestDocuments;
import dev.surge.hpa.MetricReadings;
import dev.surge.lab.controller.TimelineEntry;
import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.PodTemplate;
import dev.surge.lab.pod.ReplicaSet;
import dev.surge.loadgen.events.EventSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The lab's monitoring stack, one part of the lab's lifecycle: the cluster's series (the shared
 * {@link ClusterExporter}, fed by {@link LabCluster}) and a real Prometheus that scrapes every pod
 * as the Operator's ServiceMonitor job would, the kube-state-metrics and kubelet targets, and
 * evaluates the PrometheusRule's groups. Pods reach Prometheus through a file-based discovery file
 * that is rewritten when the endpoints change and once a second: a pod leaves the targets as soon
 * as it is deleted (as the endpoints controller drops a terminating pod), not when its process
 * exits.
 *
 * <p>Thread-safety: {@link #refreshTargets()} may be called from any thread; start and stop from
 * the lab's.
 */
public final class LabMonitoring extends AbstractLifeCycle {
  private final MonitoringPlan plan;
  private final Path dir;
  private final LabCluster cluster;
  private final ReplicaSet pods;
  private final PrintWriter out;
  private final ScheduledExecutorService discovery =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-prometheus-sd");
            t.setDaemon(true);
            return t;
          });
  private final Object targetsLock = new Object();
  private String lastTargets = "";
  private final AlertWatch alerts;
  private ClusterExporter exporter;
  private WebhookSink sink;
  private AlertmanagerProcess alertmanager;
  private PrometheusProcess prometheus;

  /**
   * @param plan what to start
   * @param dir the directory for Prometheus' config, rules, targets and TSDB
   * @param hpa the HPA the controller runs
   * @param template the pods' template
   * @param pods the pods
   * @param latest the controller's last sync (the HPA's status), null before the first
   * @param out where the URLs are printed
   * @param events where alerts go (kind ALERT)
   * @param clock the run's clock for the events
   */
  public LabMonitoring(
      MonitoringPlan plan,
      Path dir,
      HpaSpec hpa,
      PodTemplate template,
      ReplicaSet pods,
      Supplier<TimelineEntry> latest,
      PrintWriter out,
      EventSink events,
      DoubleSupplier clock) {
    this.alerts = new AlertWatch(events, clock);
    this.plan = plan;
    this.dir = dir;
    this.pods = pods;
    this.out = out;
    this.cluster =
        new LabCluster(
            plan.namespace(), hpa, template, plan.container(), plan.image(), pods, latest);
  }

  @Override
  protected void doStart() throws Exception {
    exporter = ClusterExporter.start(cluster);
    try {
      Files.createDirectories(dir);
      if (plan.alertmanager().isPresent()) {
        MonitoringPlan.AlertmanagerPlan am = plan.alertmanager().get();
        sink = WebhookSink.start(alerts::delivered);
        alertmanager =
            AlertmanagerProcess.start(
                am.binary(),
                dir.resolve("alertmanager"),
                AlertmanagerConfigs.withWebhooks(
                    am.config(), sink::urlFor, true, am.shortTimers()));
      }
      Path targets = dir.resolve("pods.json");
      writeTargets(targets);
      String interval = plan.scrapeInterval();
      ObjectNode podJob = ScrapeJobs.fileDiscovery(plan.podJob("127.0.0.1:1", ""), targets);
      Path loadgenTargets = dir.resolve("loadgen.json");
      Files.writeString(loadgenTargets, "[]", StandardCharsets.UTF_8);
      PrometheusProcess.Builder builder =
          PrometheusProcess.builder()
              .binary(plan.prometheus())
              .dir(dir)
              .scrapeInterval(interval)
              .evaluationInterval(interval)
              .scrapeConfig(podJob)
              // kube-prometheus-stack scrapes both with honorLabels, so the exposed
              // namespace/pod labels win.
              .scrapeConfig(
                  ScrapeJobs.plain(
                      "kube-state-metrics",
                      "127.0.0.1:" + exporter.kubeStateMetricsPort(),
                      "/metrics",
                      true,
                      interval))
              .scrapeConfig(
                  ScrapeJobs.plain(
                      "kubelet",
                      "127.0.0.1:" + exporter.cadvisorPort(),
                      ClusterExporter.CADVISOR_PATH,
                      true,
                      interval))
              .ruleFile(plan.ruleFile())
              .startupTimeout(Duration.ofSeconds(60));
      plan.loadgenJob(1)
          .ifPresent(j -> builder.scrapeConfig(ScrapeJobs.fileDiscovery(j, loadgenTargets)));
      if (alertmanager != null) {
        builder.alertmanagerPort(alertmanager.port());
      }
      prometheus = builder.start();
    } catch (Exception e) {
      closeAll();
      throw e;
    }
    var unusedAlerts = discovery.scheduleWithFixedDelay(this::pollAlerts, 1, 1, TimeUnit.SECONDS);
    var unused =
        discovery.scheduleWithFixedDelay(
            () -> refresh(dir.resolve("pods.json")), 1, 1, TimeUnit.SECONDS);
    out.println(
        "prometheus "
            + prometheus.url()
            + " (scrapes every pod as the ServiceMonitor does, every "
            + plan.scrapeInterval()
            + "; rules from the PrometheusRule; kube-state-metrics at http://127.0.0.1:"
            + exporter.kubeStateMetricsPort()
            + "/metrics, cAdvisor at http://127.0.0.1:"
            + exporter.cadvisorPort()
            + ClusterExporter.CADVISOR_PATH
            + ")");
    if (alertmanager != null) {
      out.println(
          "alerts   "
              + alertmanager.url()
              + " (Alertmanager with k8s/alertmanager/alertmanager.yml's routes; every receiver"
              + " posts to the lab's webhook sink"
              + (plan.alertmanager().get().shortTimers()
                  ? "; --fast: group_wait and group_interval 1s, repeat_interval 1m)"
                  : ")"));
    }
    if (plan.ruleDivisor() > 1) {
      out.println(
          "rules    --fast: every rule window and for: divided by "
              + plan.ruleDivisor()
              + " (5m -> 25s, 1h -> 5m), evaluated every "
              + plan.scrapeInterval());
    }
    out.println(
        "           e.g. "
            + prometheus.url()
            + "/graph?g0.expr=kube_horizontalpodautoscaler_status_current_replicas");
    out.flush();
  }

  /**
   * The custom and external metrics APIs of the lab: this Prometheus, as prometheus-adapter and
   * KEDA answer (the controller composes them with its resource readings).
   */
  public MetricReadings readings(DoubleSupplier clock) {
    return new PrometheusReadings(
        () -> prometheus, plan.namespace(), plan.adapterRules(), plan.kedaQueries(), clock);
  }

  /** The running Prometheus (between start and stop). */
  public PrometheusProcess prometheus() {
    return prometheus;
  }

  /**
   * The load engine serves its metrics on {@code port} (-1: it serves none): Prometheus scrapes it
   * from now on as the shipped PodMonitor says.
   */
  public void loadgenStarted(int port) {
    if (port < 0 || !isStarted()) {
      return;
    }
    plan.loadgenJob(port)
        .ifPresent(
            job -> {
              try {
                ArrayNode groups = ManifestDocuments.YAML.createArrayNode();
                groups.add(ScrapeJobs.targetGroup(job));
                Path file = dir.resolve("loadgen.json");
                Path tmp = dir.resolve("loadgen.json.tmp");
                Files.writeString(tmp, groups.toString(), StandardCharsets.UTF_8);
                Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
              } catch (IOException e) {
                out.println("warning  cannot write the load generator's target: " + e.getMessage());
                out.flush();
              }
            });
  }

  /** Rewrites the discovery file now, e.g. when the endpoints changed. */
  public void refreshTargets() {
    if (isStarted()) {
      try {
        var unused = discovery.submit(() -> refresh(dir.resolve("pods.json")));
      } catch (RuntimeException stopping) {
        // Stopping: no more targets to write.
      }
    }
  }

  private void refresh(Path targets) {
    try {
      writeTargets(targets);
    } catch (IOException | RuntimeException e) {
      // The next second tries again; Prometheus keeps the previous targets meanwhile.
      out.println("warning  cannot write the Prometheus targets: " + e.getMessage());
      out.flush();
    }
  }

  /**
   * Every pod whose container runs with its metrics port bound and that is not being deleted, as
   * one target group each with the labels the ServiceMonitor gives it.
   */
  private void writeTargets(Path targets) throws IOException {
    ArrayNode groups = ManifestDocuments.YAML.createArrayNode();
    for (Pod p : pods.pods()) {
      if (p.phase() == Pod.Phase.RUNNING && p.metricsPort() > 0) {
        groups.add(ScrapeJobs.targetGroup(plan.podJob("127.0.0.1:" + p.metricsPort(), p.name())));
      }
    }
    String text = groups.toString();
    synchronized (targetsLock) {
      if (text.equals(lastTargets)) {
        return;
      }
      Path tmp = targets.resolveSibling(targets.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, targets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      lastTargets = text;
    }
  }

  private void pollAlerts() {
    try {
      alerts.poll(prometheus);
    } catch (RuntimeException e) {
      // Prometheus busy or stopping: the next second polls again.
    }
  }

  @Override
  protected void doStop() {
    discovery.shutdownNow();
    closeAll();
  }

  /** Stops what started, in reverse: Prometheus, Alertmanager, the sink, the exporter. */
  private void closeAll() {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      try {
        if (alertmanager != null) {
          alertmanager.close();
        }
      } finally {
        try {
          if (sink != null) {
            sink.close();
          }
        } finally {
          exporter.close();
        }
      }
    }
  }

  /** For messages. */
  @Override
  public String toString() {
    return "prometheus";
  }
}
