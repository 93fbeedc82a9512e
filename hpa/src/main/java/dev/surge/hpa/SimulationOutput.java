package dev.surge.hpa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders a {@link SimulationResult} as the text table {@code simulate} prints and as its JSON
 * {@code --out}.
 */
public final class SimulationOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimulationOutput() {}

  /** The timeline table, then the summary lines. */
  public static void printText(
      PrintWriter out, HpaSpec hpa, Workload workload, SimulationResult r) {
    out.printf(
        Locale.ROOT,
        "%s %s: min %d, max %d, %s%n",
        hpa.keda().isPresent()
            ? "HPA (from ScaledObject " + hpa.keda().get().scaledObject() + ")"
            : "HPA",
        hpa.name(),
        hpa.minReplicas(),
        hpa.maxReplicas(),
        hpa.behavior().isPresent()
            ? "with behavior"
            : "no behavior (legacy 300s stabilization, max(2x,4) cap)");
    out.printf(Locale.ROOT, "metrics:  %s%n", describeMetrics(hpa, workload));
    hpa.keda()
        .filter(KedaScaling::scaleToZero)
        .ifPresent(
            k ->
                out.printf(
                    Locale.ROOT,
                    "KEDA:     scales to zero after %ds without an active trigger (polled every"
                        + " %ds)%n",
                    k.cooldownPeriodSeconds(),
                    k.pollingIntervalSeconds()));
    boolean several = hpa.metrics().size() > 1;
    int width = 6;
    for (MetricSpec m : hpa.metrics()) {
      width = Math.max(width, m.label().length());
    }
    String metricColumn = "%-" + width + "s";
    out.printf(
        Locale.ROOT,
        "%8s %10s %6s %9s %9s %6s  " + metricColumn + " %s%n",
        "t",
        "rate/s",
        "util%",
        "proposed",
        "replicas",
        "ready",
        "metric",
        several ? "reason  [each metric's proposal]" : "reason");
    for (SimulationResult.Step s : r.steps()) {
      out.printf(
          Locale.ROOT,
          "%7.0fs %10.1f %6s %9s %9d %6d  " + metricColumn + " %s%s%n",
          s.t(),
          s.rate(),
          s.utilizationPercent() < 0 ? "-" : Integer.toString(s.utilizationPercent()),
          s.proposed() < 0 ? "-" : Integer.toString(s.proposed()),
          s.replicas(),
          s.readyReplicas(),
          s.metric().isEmpty() ? "-" : s.metric(),
          s.reason(),
          several && !s.proposals().isEmpty() ? "  [" + proposals(hpa, s) + "]" : "");
    }
    out.printf(Locale.ROOT, "first scale-up:   %s%n", seconds(r.firstScaleUpSeconds()));
    out.printf(
        Locale.ROOT, "plateau (%d):     %s%n", r.peakReplicas(), seconds(r.plateauSeconds()));
    out.printf(
        Locale.ROOT, "back to min (%d): %s%n", hpa.minReplicas(), seconds(r.backToMinSeconds()));
    out.printf(
        Locale.ROOT,
        "replica-seconds:  %.0f (%.2f replica-hours)%n",
        r.replicaSeconds(),
        r.replicaSeconds() / 3600);
    out.printf(Locale.ROOT, "estimated cost:   %.4f%n", r.cost());
    if (r.unservedSeconds() > 0) {
      out.printf(
          Locale.ROOT,
          "short of CPU:     %.0f s (no ready pod, or pods at their CPU limit)%n",
          r.unservedSeconds());
    }
  }

  /** {@code cpu 70% of 250m, pods/x 50/pod} with the units the model reads them in. */
  public static String describeMetrics(HpaSpec hpa, Workload workload) {
    StringBuilder b = new StringBuilder();
    for (MetricSpec m : hpa.metrics()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(m.label()).append(' ').append(m.targetText());
      if (m.targetType() == MetricSpec.TargetType.UTILIZATION) {
        b.append(
            m.isCpu()
                ? " of " + workload.cpuRequestMillicores() + "m"
                : " of " + workload.memoryRequestBytes() / (1024 * 1024) + "Mi");
      }
      if (!m.isResource()) {
        b.append(m.source() == MetricSpec.Source.PODS ? " (req/s per pod)" : " (req/s offered)");
      }
    }
    return b.toString();
  }

  /** {@code cpu=4 (75%) memory=4 (85%)}: each metric's proposal and the value it read. */
  private static String proposals(HpaSpec hpa, SimulationResult.Step s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.proposals().size(); i++) {
      HpaController.MetricProposal p = s.proposals().get(i);
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(p.metric()).append('=');
      if (p.replicas() < 0) {
        b.append("invalid");
        continue;
      }
      b.append(p.replicas());
      MetricSpec m = i < hpa.metrics().size() ? hpa.metrics().get(i) : null;
      if (m == null) {
        continue;
      }
      if (m.targetType() == MetricSpec.TargetType.UTILIZATION) {
        b.append(" (").append(p.current()).append("%)");
      } else if (m.isResource() && !m.isCpu()) {
        b.append(" (").append(p.current() / 1000 / (1024 * 1024)).append("Mi)");
      } else {
        b.append(" (").append(MetricSpec.trim(Math.round(p.current() / 100.0) / 10.0)).append(')');
      }
    }
    return b.toString();
  }

  private static String seconds(Double s) {
    return s == null ? "never" : String.format(Locale.ROOT, "%.0fs", s);
  }

  /** The JSON document: inputs, summary and timeline. */
  public static ObjectNode toJson(
      HpaSpec hpa,
      Workload workload,
      String profile,
      double cpuPerRequestSeconds,
      SimulationResult r) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode in = root.putObject("input");
    in.put("hpa", hpa.name());
    in.put("minReplicas", hpa.minReplicas());
    in.put("maxReplicas", hpa.maxReplicas());
    in.put("targetUtilizationPercent", hpa.targetUtilizationPercent());
    ArrayNode metrics = in.putArray("metrics");
    for (MetricSpec m : hpa.metrics()) {
      ObjectNode mn = metrics.addObject();
      mn.put("type", m.source().apiName());
      mn.put("name", m.label());
      mn.put("targetType", m.targetType().apiName());
      mn.put("target", m.target());
    }
    in.put("behavior", hpa.behavior().isPresent());
    in.put("cpuRequestMillicores", workload.cpuRequestMillicores());
    in.put("memoryRequestBytes", workload.memoryRequestBytes());
    in.put("cpuPerRequestSeconds", cpuPerRequestSeconds);
    in.put("profile", profile);
    ObjectNode sum = root.putObject("summary");
    putNullable(sum, "firstScaleUpSeconds", r.firstScaleUpSeconds());
    putNullable(sum, "plateauSeconds", r.plateauSeconds());
    putNullable(sum, "backToMinSeconds", r.backToMinSeconds());
    sum.put("peakReplicas", r.peakReplicas());
    sum.put("replicaSeconds", r.replicaSeconds());
    sum.put("cost", r.cost());
    sum.put("unservedSeconds", r.unservedSeconds());
    root.set("timeline", timeline(r));
    return root;
  }

  /**
   * The timeline alone: {@code [{t, rate, replicas, readyReplicas, proposed, utilizationPercent,
   * reason}]}.
   */
  public static ArrayNode timeline(SimulationResult r) {
    ArrayNode steps = JSON.createArrayNode();
    for (SimulationResult.Step s : r.steps()) {
      ObjectNode n = steps.addObject();
      n.put("t", s.t());
      n.put("rate", s.rate());
      n.put("replicas", s.replicas());
      n.put("readyReplicas", s.readyReplicas());
      n.put("proposed", s.proposed());
      n.put("utilizationPercent", s.utilizationPercent());
      n.put("reason", s.reason());
      n.put("metric", s.metric());
      ObjectNode byMetric = n.putObject("proposals");
      for (HpaController.MetricProposal p : s.proposals()) {
        byMetric.put(p.metric(), p.replicas());
      }
    }
    return steps;
  }

  private static void putNullable(ObjectNode n, String key, Double v) {
    if (v == null) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }
}
