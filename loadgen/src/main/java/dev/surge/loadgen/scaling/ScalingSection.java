package dev.surge.loadgen.scaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.hpa.SimulationOutput;
import dev.surge.hpa.SimulationResult;
import java.util.List;

/**
 * Builds the result file's {@code scaling} object from the polled timeline and, when given, the
 * simulator's prediction for the same profile:
 *
 * <ul>
 *   <li>{@code timeline[] {t, currentReplicas, desiredReplicas, readyReplicas, podRates{pod:
 *       req/s}}};
 *   <li>{@code scaleUpSeconds}: from the first sample whose desired count rose above the starting
 *       count to the first whose ready count reached the peak (reaction, start-up and readiness
 *       together);
 *   <li>{@code scaleDownSeconds}: from the last sample at the peak to the first one back at the
 *       starting count;
 *   <li>{@code simulated[] {t, replicas, readyReplicas, ...}}: the model's timeline.
 * </ul>
 */
public final class ScalingSection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScalingSection() {}

  public static ObjectNode build(List<ScalingSample> samples, SimulationResult simulated) {
    ObjectNode scaling = JSON.createObjectNode();
    ArrayNode timeline = scaling.putArray("timeline");
    for (ScalingSample s : samples) {
      timeline.add(entry(s));
    }
    putNullable(scaling, "scaleUpSeconds", scaleUpSeconds(samples));
    putNullable(scaling, "scaleDownSeconds", scaleDownSeconds(samples));
    if (simulated != null) {
      scaling.set("simulated", SimulationOutput.timeline(simulated));
    }
    return scaling;
  }

  /**
   * One sample as the result's {@code timeline[]} records it (and the live page's {@code scaling}
   * frame carries it).
   */
  public static ObjectNode entry(ScalingSample s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("t", Math.round(s.t() * 1000) / 1000.0);
    putNullable(n, "currentReplicas", s.currentReplicas());
    putNullable(n, "desiredReplicas", s.desiredReplicas());
    putNullable(n, "readyReplicas", s.readyReplicas());
    ObjectNode rates = n.putObject("podRates");
    s.podRates().forEach((pod, r) -> rates.put(pod, Math.round(r * 1000) / 1000.0));
    return n;
  }

  static Double scaleUpSeconds(List<ScalingSample> samples) {
    Excursion e = Excursion.of(samples);
    if (e == null) {
      return null;
    }
    Double from = null;
    for (ScalingSample s : e.known()) {
      int wanted = s.desiredReplicas() != null ? s.desiredReplicas() : s.currentReplicas();
      if (from == null && wanted > e.start()) {
        from = s.t();
      }
      int ready = s.readyReplicas() != null ? s.readyReplicas() : s.currentReplicas();
      if (from != null && ready >= e.peak()) {
        return s.t() - from;
      }
    }
    return null;
  }

  static Double scaleDownSeconds(List<ScalingSample> samples) {
    Excursion e = Excursion.of(samples);
    if (e == null) {
      return null;
    }
    Double lastAtPeak = null;
    for (ScalingSample s : e.known()) {
      if (s.currentReplicas() == e.peak()) {
        lastAtPeak = s.t();
      } else if (lastAtPeak != null && s.currentReplicas() <= e.start()) {
        return s.t() - lastAtPeak;
      }
    }
    return null;
  }

  private static void putNullable(ObjectNode n, String key, Number v) {
    if (v == null) {
      n.putNull(key);
    } else if (v instanceof Integer i) {
      n.put(key, i);
    } else {
      n.put(key, v.doubleValue());
    }
  }

  /**
   * The samples that carry a replica count, the count they start at and their peak; null when it
   * never rose.
   */
  private record Excursion(List<ScalingSample> known, int start, int peak) {
    static Excursion of(List<ScalingSample> samples) {
      List<ScalingSample> known =
          samples.stream().filter(s -> s.currentReplicas() != null).toList();
      if (known.isEmpty()) {
        return null;
      }
      int start = known.get(0).currentReplicas();
      int peak = known.stream().mapToInt(ScalingSample::currentReplicas).max().getAsInt();
      return peak > start ? new Excursion(known, start, peak) : null;
    }
  }
}
