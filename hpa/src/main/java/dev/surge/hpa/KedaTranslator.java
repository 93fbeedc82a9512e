package dev.surge.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a KEDA {@code ScaledObject} into the HPA KEDA creates for it, plus what KEDA's operator
 * does itself ({@link KedaScaling}), after the KEDA docs (ScaledObject specification; Scaling
 * Deployments: activating and scaling thresholds; the Prometheus, CPU and memory scalers):
 *
 * <ul>
 *   <li>the HPA is named {@code advanced.horizontalPodAutoscalerConfig.name}, default {@code
 *       keda-hpa-<scaledobject>}; its {@code behavior} is {@code
 *       advanced.horizontalPodAutoscalerConfig.behavior};
 *   <li>{@code minReplicas = max(minReplicaCount, 1)} (default 0), {@code maxReplicas =
 *       maxReplicaCount} (default 100);
 *   <li>a {@code cpu} or {@code memory} trigger becomes a {@code Resource} metric ({@code
 *       metricType} Utilization by default, or AverageValue) with target {@code metadata.value};
 *   <li>a {@code prometheus} trigger becomes an {@code External} metric {@code s<i>-prometheus}
 *       with target {@code metadata.threshold}, {@code metricType} AverageValue by default (or
 *       Value), and activation when the query exceeds {@code metadata.activationThreshold} (default
 *       0);
 *   <li>with {@code minReplicaCount: 0} (or {@code idleReplicaCount} set) KEDA scales to zero (or
 *       the idle count) after {@code cooldownPeriod} (default 300 s) without an active trigger, and
 *       a target never active after {@code initialCooldownPeriod} (default 0), checked every {@code
 *       pollingInterval} (default 30 s): {@link KedaOperator}.
 * </ul>
 *
 * Any other trigger type, {@code scalingModifiers}, {@code fallback}, a paused ScaledObject, an
 * {@code idleReplicaCount} not below {@code minReplicaCount}, or a target that is not a Deployment
 * is refused with a message naming it: nothing falls back to CPU.
 */
public final class KedaTranslator {
  private KedaTranslator() {}

  public static HpaSpec hpaSpec(JsonNode doc, String source) {
    String soName = doc.path("metadata").path("name").asText();
    String where = source + ": ScaledObject " + soName;
    JsonNode spec = doc.path("spec");
    String target = spec.path("scaleTargetRef").path("name").asText("");
    if (target.isEmpty()) {
      throw new IllegalArgumentException(where + " has no spec.scaleTargetRef.name");
    }
    String kind = spec.path("scaleTargetRef").path("kind").asText("Deployment");
    if (!"Deployment".equals(kind)) {
      throw new IllegalArgumentException(
          where + " scales a " + kind + "; only Deployments are modelled");
    }
    JsonNode advanced = spec.path("advanced");
    if (advanced.has("scalingModifiers")) {
      throw new IllegalArgumentException(
          where + ": advanced.scalingModifiers (composite metrics) cannot be modelled");
    }
    int minCount = intField(spec, "minReplicaCount", 0, where);
    int maxCount = intField(spec, "maxReplicaCount", 100, where);
    int polling = intField(spec, "pollingInterval", KedaScaling.DEFAULT_POLLING_INTERVAL, where);
    if (polling < 1) {
      throw new IllegalArgumentException(where + ": spec.pollingInterval must be >= 1, got 0");
    }
    int cooldown = intField(spec, "cooldownPeriod", KedaScaling.DEFAULT_COOLDOWN_PERIOD, where);
    int initialCooldown =
        intField(spec, "initialCooldownPeriod", KedaScaling.DEFAULT_INITIAL_COOLDOWN_PERIOD, where);
    int idle = intField(spec, "idleReplicaCount", -1, where);
    // KEDA's admission webhook (CheckReplicaCountBoundsAreValid): an explicit minReplicaCount
    // counts as the HPA's minReplicas, max(min, 1)
    int boundMin = spec.has("minReplicaCount") ? Math.max(minCount, 1) : 0;
    if (idle >= 0 && idle >= boundMin) {
      throw new IllegalArgumentException(
          where + ": IdleReplicaCount=" + idle + " must be less than MinReplicaCount=" + boundMin);
    }
    if (spec.has("fallback")) {
      throw new IllegalArgumentException(
          where + ": spec.fallback (replicas when a scaler fails) cannot be modelled");
    }
    for (String a : List.of("autoscaling.keda.sh/paused", "autoscaling.keda.sh/paused-replicas")) {
      if (doc.path("metadata").path("annotations").has(a)) {
        throw new IllegalArgumentException(
            where + ": annotation " + a + " (a paused ScaledObject) cannot be modelled");
      }
    }
    JsonNode hpaConfig = advanced.path("horizontalPodAutoscalerConfig");
    String hpaName = hpaConfig.path("name").asText("keda-hpa-" + soName);
    if (!spec.path("triggers").isArray() || spec.path("triggers").isEmpty()) {
      throw new IllegalArgumentException(where + " has no spec.triggers");
    }
    List<MetricSpec> metrics = new ArrayList<>();
    List<Long> activations = new ArrayList<>();
    int i = 0;
    for (JsonNode trigger : spec.path("triggers")) {
      String at = where + ": spec.triggers[" + i + "]";
      try {
        translate(trigger, i, metrics, activations);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
      i++;
    }
    boolean toZero = minCount == 0 || idle == 0;
    if (toZero && activations.stream().allMatch(a -> a < 0)) {
      throw new IllegalArgumentException(
          where
              + ": minReplicaCount/idleReplicaCount 0 needs a trigger other than cpu or memory"
              + " (KEDA cannot scale to zero on those)");
    }
    HpaSpec hpa;
    try {
      hpa =
          new HpaSpec(
              hpaName,
              doc.path("metadata").path("namespace").asText(""),
              target,
              Math.max(minCount, 1),
              maxCount,
              metrics,
              Optional.empty(),
              HpaSpec.ToleranceOverrides.NONE,
              Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    hpa =
        ManifestReader.withBehavior(
            hpa, hpaConfig.path("behavior"), where + ": advanced.horizontalPodAutoscalerConfig");
    return hpa.withKeda(
        new KedaScaling(soName, minCount, idle, polling, cooldown, initialCooldown, activations));
  }

  private static void translate(
      JsonNode trigger, int index, List<MetricSpec> metrics, List<Long> activations) {
    String type = trigger.path("type").asText("");
    JsonNode md = trigger.path("metadata");
    // metricType sits on the trigger; KEDA before 2.10 read metadata.type for cpu/memory.
    String metricType = trigger.path("metricType").asText(md.path("type").asText(""));
    switch (type) {
      case "cpu", "memory" -> {
        String mt = metricType.isEmpty() ? "Utilization" : metricType;
        String value = required(md, "value", type);
        MetricSpec m =
            switch (mt) {
              case "Utilization" ->
                  new MetricSpec(
                      MetricSpec.Source.RESOURCE,
                      type,
                      Optional.ofNullable(md.path("containerName").asText(null)),
                      MetricSpec.TargetType.UTILIZATION,
                      wholePercent(value));
              case "AverageValue" ->
                  new MetricSpec(
                      MetricSpec.Source.RESOURCE,
                      type,
                      Optional.empty(),
                      MetricSpec.TargetType.AVERAGE_VALUE,
                      ManifestReader.milliValue(value, type + " trigger metadata.value"));
              default ->
                  throw new IllegalArgumentException(
                      type
                          + " trigger metricType must be Utilization or AverageValue, got '"
                          + mt
                          + "'");
            };
        if (md.has("containerName")) {
          m =
              new MetricSpec(
                  MetricSpec.Source.CONTAINER_RESOURCE,
                  type,
                  Optional.of(md.path("containerName").asText()),
                  m.targetType(),
                  m.target());
        }
        metrics.add(m);
        activations.add(-1L);
      }
      case "prometheus" -> {
        String mt = metricType.isEmpty() ? "AverageValue" : metricType;
        long threshold =
            ManifestReader.milliValue(required(md, "threshold", type), "metadata.threshold");
        long activation =
            md.has("activationThreshold")
                ? ManifestReader.milliValue(
                    md.path("activationThreshold").asText(), "metadata.activationThreshold")
                : 0;
        MetricSpec.TargetType t =
            switch (mt) {
              case "AverageValue" -> MetricSpec.TargetType.AVERAGE_VALUE;
              case "Value" -> MetricSpec.TargetType.VALUE;
              default ->
                  throw new IllegalArgumentException(
                      "prometheus trigger metricType must be AverageValue or Value, got '"
                          + mt
                          + "'");
            };
        metrics.add(MetricSpec.external("s" + index + "-prometheus", t, threshold));
        activations.add(activation);
      }
      default ->
          throw new IllegalArgumentException(
              "trigger type '"
                  + type
                  + "' cannot be modelled (supported: prometheus as a request rate, cpu, memory)");
    }
  }

  private static String required(JsonNode md, String field, String type) {
    if (!md.has(field)) {
      throw new IllegalArgumentException(type + " trigger has no metadata." + field);
    }
    return md.path(field).asText();
  }

  private static int wholePercent(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "metadata.value '" + value + "' is not a whole percentage", e);
    }
  }

  private static int intField(JsonNode spec, String field, int dflt, String where) {
    if (!spec.has(field)) {
      return dflt;
    }
    if (!spec.path(field).canConvertToInt() || spec.path(field).asInt() < 0) {
      throw new IllegalArgumentException(
          where + ": spec." + field + " must be a whole number >= 0, got " + spec.path(field));
    }
    return spec.path(field).asInt();
  }
}
