package dev.surge.lab.monitoring;

import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.cluster.prometheus.WebhookSink;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Turns the lab's alerts into run events (kind {@code ALERT}): each alert of Prometheus' {@code
 * /api/v1/alerts} as it turns pending, firing and resolved (polled once a second), and each
 * notification the Alertmanager delivers to the lab's webhook sink with the receiver that routed
 * it.
 *
 * <p>Thread-safety: {@code poll} runs on one thread; {@code delivered} on the sink's.
 */
final class AlertWatch {
  private final EventSink events;
  private final DoubleSupplier clock;
  private final Map<String, String> states = new HashMap<>();

  AlertWatch(EventSink events, DoubleSupplier clock) {
    this.events = events;
    this.clock = clock;
  }

  /** Compares Prometheus' active alerts with the last poll and publishes the changes. */
  void poll(PrometheusProcess prometheus) {
    List<PrometheusProcess.Alert> alerts = prometheus.alerts();
    Set<String> seen = new HashSet<>();
    for (PrometheusProcess.Alert a : alerts) {
      String key = key(a.labels());
      seen.add(key);
      String before = states.put(key, a.state());
      if (!a.state().equals(before)) {
        publish(a.labels(), a.state());
      }
    }
    for (String key : Set.copyOf(states.keySet())) {
      if (!seen.contains(key)) {
        states.remove(key);
        publish(labels(key), "resolved");
      }
    }
  }

  /** One webhook delivery. */
  void delivered(WebhookSink.Delivery d) {
    events.publish(
        new RunEvent(
            clock.getAsDouble(),
            RunEvent.Kind.ALERT,
            d.alertname(),
            "alertmanager: " + d.status() + " to " + d.path() + severity(d.labels())));
  }

  private void publish(Map<String, String> labels, String state) {
    events.publish(
        new RunEvent(
            clock.getAsDouble(),
            RunEvent.Kind.ALERT,
            labels.getOrDefault("alertname", ""),
            state + severity(labels)));
  }

  private static String severity(Map<String, String> labels) {
    String s = labels.getOrDefault("severity", "");
    String pod = labels.getOrDefault("pod", "");
    return (s.isEmpty() ? "" : " (severity " + s + ")") + (pod.isEmpty() ? "" : " pod " + pod);
  }

  private static String key(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(labels)
        .forEach((k, v) -> b.append(k).append('\u0001').append(v).append('\u0002'));
    return b.toString();
  }

  private static Map<String, String> labels(String key) {
    Map<String, String> labels = new TreeMap<>();
    for (String pair : key.split("\u0002")) {
      int i = pair.indexOf('\u0001');
      if (i > 0) {
        labels.put(pair.substring(0, i), pair.substring(i + 1));
      }
    }
    return labels;
  }
}
