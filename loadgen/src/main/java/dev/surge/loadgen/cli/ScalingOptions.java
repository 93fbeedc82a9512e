package dev.surge.loadgen.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.common.Durations;
import dev.surge.common.cli.Converters;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.ProfileRates;
import dev.surge.hpa.SimulationOutput;
import dev.surge.hpa.SimulationResult;
import dev.surge.hpa.Simulator;
import dev.surge.hpa.Workload;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.report.HtmlReport;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scaling.PrometheusPoller;
import dev.surge.loadgen.scaling.ScalingSample;
import dev.surge.loadgen.scaling.ScalingSection;
import dev.surge.loadgen.ui.LiveView;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code run}'s live scaling view and report options: poll Prometheus for the HPA's replicas during
 * the run, add the {@code scaling} object (with the simulator's prediction) to the result, and
 * render the HTML report at the end.
 */
final class ScalingOptions {
  @Option(
      names = "--prometheus",
      converter = Converters.HttpUrl.class,
      paramLabel = "URL",
      description =
          "Prometheus to poll during the run for the HPA's replicas (with --hpa), e.g. http://127.0.0.1:9090")
  URI prometheus;

  @Option(
      names = "--hpa",
      paramLabel = "NAMESPACE/NAME",
      description = "The HPA to watch (kube-state-metrics series), e.g. surge/surge")
  String hpa;

  @Option(
      names = "--hpa-deployment",
      paramLabel = "NAME",
      description = "The HPA's Deployment, for its ready replicas. Default: the HPA's name")
  String deployment;

  @Option(
      names = "--scaling-poll",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      defaultValue = "5s",
      description = "How often to poll Prometheus. Default: ${DEFAULT-VALUE}")
  double poll;

  @Option(
      names = "--hpa-manifest",
      paramLabel = "FILE|DIR",
      description =
          "HPA manifest (e.g. k8s/base): adds the simulator's prediction for this profile to the result")
  Path manifest;

  @Option(
      names = "--cpu-per-request",
      converter = Converters.Seconds.class,
      paramLabel = "DUR",
      description = "CPU per request, for --hpa-manifest")
  Double cpuPerRequest;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the HTML report of the run here")
  Path report;

  /** What is left to do around the run once the flags are checked. */
  final class Session {
    private final PrometheusPoller poller;
    private final SimulationResult simulated;
    private final String hpaName;
    private volatile LiveView page = LiveView.off();
    private volatile EventSink events = EventSink.none();
    private ScalingSample previous; // the polling thread's only

    private Session(PrometheusPoller.Builder poller, SimulationResult simulated, String hpaName) {
      this.poller = poller == null ? null : poller.onSample(this::sampled).build();
      this.simulated = simulated;
      this.hpaName = hpaName;
    }

    /**
     * Shows the scaling on the live page as it is polled: a {@code scaling-info} frame now ({@code
     * source: prometheus}, the HPA, the simulator's prediction), then every sample as a {@code
     * scaling} frame (the entry the result's timeline records), and an {@code hpa} event on {@code
     * events} whenever the desired or the ready count changes. Call before {@link #started()}.
     */
    void live(LiveView view, EventSink sink) {
      this.page = view;
      this.events = sink;
      if (poller == null && simulated == null) {
        return;
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("source", poller == null ? "simulation" : "prometheus");
      if (hpaName != null) {
        info.put("hpa", hpaName);
      }
      if (simulated != null) {
        info.put("simulated", SimulationOutput.timeline(simulated));
      }
      view.scalingInfo(info);
    }

    /** On the polling thread: one sample to the page and its changes as events. */
    private void sampled(ScalingSample s) {
      try {
        LiveView view = page;
        if (view != LiveView.off()) {
          view.scaling(ScalingSection.entry(s));
        }
        ScalingSample p = previous;
        previous = s;
        if (p == null) {
          return;
        }
        if (changed(p.desiredReplicas(), s.desiredReplicas())) {
          events.publish(
              new RunEvent(
                  s.t(),
                  RunEvent.Kind.HPA,
                  hpaName,
                  String.format(
                      Locale.ROOT,
                      "%s -> %s replicas (desired, as kube-state-metrics reports it; current %s,"
                          + " ready %s)",
                      count(p.desiredReplicas()),
                      count(s.desiredReplicas()),
                      count(s.currentReplicas()),
                      count(s.readyReplicas()))));
        }
        if (changed(p.readyReplicas(), s.readyReplicas())) {
          events.publish(
              new RunEvent(
                  s.t(),
                  RunEvent.Kind.POD,
                  "deployment " + poller.deployment(),
                  String.format(
                      Locale.ROOT,
                      "%s -> %s ready",
                      count(p.readyReplicas()),
                      count(s.readyReplicas()))));
        }
      } catch (RuntimeException e) {
        // The page is a bystander: a failure to show a sample must not stop the polling.
      }
    }

    private static boolean changed(Integer before, Integer now) {
      return now != null && before != null && !before.equals(now);
    }

    private static String count(Integer n) {
      return n == null ? "?" : n.toString();
    }

    /** Called when the run starts sending: the timeline's t counts from here. */
    void started() {
      if (poller != null) {
        try {
          poller.start();
        } catch (Exception e) {
          throw new IllegalStateException(
              "cannot start polling " + prometheus + ": " + e.getMessage(), e);
        }
      }
    }

    String progressText() {
      return poller == null ? "" : poller.progressText();
    }

    /**
     * Stops polling and builds the result's {@code scaling} object (null when neither polling nor a
     * prediction was asked for); the run calls it once sending has ended, before it writes the
     * result file, so the file is written once.
     */
    ObjectNode scaling() {
      if (poller != null) {
        poller.close();
        return ScalingSection.build(poller.timeline(), simulated);
      } else if (simulated != null) {
        return ScalingSection.build(List.of(), simulated);
      }
      return null;
    }

    /** Prints the scaling figures and writes the report. */
    void finish(RunConfig cfg, LoadRun.Outcome outcome, PrintWriter out) {
      if (outcome.result().scaling() == null && report == null) {
        // Nothing to print or render: do not load the JSON tree machinery for nothing (hundreds of
        // classes at the end of every run without --out).
        return;
      }
      ObjectNode result = ResultWriter.JSON.valueToTree(outcome.result());
      if (result.path("scaling").isObject()) {
        JsonScaling.print(out, (ObjectNode) result.path("scaling"));
      }
      if (report != null) {
        write(
            report,
            HtmlReport.render(
                result, cfg.out().map(path -> path.getFileName().toString()).orElse("run")));
        out.println("report   " + report);
      }
      out.flush();
    }
  }

  /**
   * Checks the flags; the session is inert when none of them is given.
   *
   * @throws UsageException naming the flag and the value that is wrong
   */
  Session open(RunConfig cfg) {
    if ((prometheus == null) != (hpa == null)) {
      throw new UsageException(
          prometheus == null
              ? "--hpa '" + hpa + "': needs --prometheus URL"
              : "--prometheus: needs --hpa NAMESPACE/NAME");
    }
    PrometheusPoller.Builder poller = null;
    if (prometheus != null) {
      String[] parts = hpa.split("/", -1);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new UsageException("--hpa '" + hpa + "': expected NAMESPACE/NAME, e.g. surge/surge");
      }
      if (poll < 0.1) {
        throw new UsageException(
            "--scaling-poll '" + Durations.format(poll) + "': must be at least 100ms");
      }
      PrometheusPoller.Builder b =
          PrometheusPoller.builder()
              .prometheus(prometheus)
              .hpa(parts[0], parts[1])
              .intervalMillis(Math.round(poll * 1000));
      if (deployment != null) {
        b.deployment(deployment);
      }
      poller = b;
    }
    SimulationResult simulated = null;
    if (manifest != null) {
      if (cpuPerRequest == null) {
        throw new UsageException(
            "--hpa-manifest '" + manifest + "': needs --cpu-per-request (see calibrate)");
      }
      if (!Files.exists(manifest)) {
        throw new UsageException("--hpa-manifest '" + manifest + "': no such file or directory");
      }
      ManifestReader.Manifest m =
          UsageException.fromInvalid(
              "--hpa-manifest '" + manifest + "'",
              () -> ManifestReader.read(manifest, Optional.empty()));
      Workload w =
          m.workload()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--hpa-manifest '"
                              + manifest
                              + "': has no Deployment "
                              + m.hpa().targetName()
                              + " to take the CPU request from"));
      double cpu = cpuPerRequest;
      simulated =
          UsageException.fromInvalid(
              "--cpu-per-request '" + Durations.format(cpu) + "'",
              () ->
                  Simulator.builder()
                      .hpa(m.hpa())
                      .workload(w)
                      .cpuPerRequestSeconds(cpu)
                      .rate(ProfileRates.of(cfg.profile()))
                      .tailSeconds(0)
                      .build()
                      .run());
    } else if (cpuPerRequest != null) {
      throw new UsageException(
          "--cpu-per-request '" + Durations.format(cpuPerRequest) + "': only with --hpa-manifest");
    }
    return new Session(poller, simulated, hpa);
  }

  private static void write(Path path, String text) {
    try {
      Path abs = path.toAbsolutePath();
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** The scaling figures printed after the summary. */
  static final class JsonScaling {
    private JsonScaling() {}

    static void print(PrintWriter out, ObjectNode scaling) {
      out.println(
          "scaling  scale-up "
              + seconds(scaling, "scaleUpSeconds")
              + ", scale-down "
              + seconds(scaling, "scaleDownSeconds")
              + ", "
              + scaling.path("timeline").size()
              + " samples"
              + (scaling.has("simulated")
                  ? ", simulated " + scaling.path("simulated").size() + " syncs"
                  : ""));
    }

    private static String seconds(ObjectNode n, String key) {
      return n.path(key).isNumber() ? Math.round(n.path(key).asDouble()) + "s" : "not seen";
    }
  }
}
