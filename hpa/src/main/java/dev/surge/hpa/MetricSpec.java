package dev.surge.hpa;

import java.util.Locale;
import java.util.Optional;

/**
 * One {@code spec.metrics[]} entry of an autoscaling/v2 HPA, as the model reads it.
 *
 * <p>Values are kept as the controller keeps them: utilization targets in percent, every other
 * target as a milli-value ({@code Quantity.MilliValue()}: {@code "50"} is 50000, {@code "500m"} is
 * 500, {@code "512Mi"} is 536870912000).
 *
 * @param source the metric source type
 * @param name the resource ({@code cpu}, {@code memory}) or the custom/external metric's name
 * @param container the container of a {@code ContainerResource} metric, empty otherwise
 * @param targetType the target's type
 * @param target percent for {@code Utilization}, a milli-value otherwise
 */
public record MetricSpec(
    Source source, String name, Optional<String> container, TargetType targetType, long target) {

  /** {@code spec.metrics[].type}. */
  public enum Source {
    RESOURCE("Resource"),
    CONTAINER_RESOURCE("ContainerResource"),
    PODS("Pods"),
    OBJECT("Object"),
    EXTERNAL("External");

    private final String apiName;

    Source(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  /** {@code target.type}. */
  public enum TargetType {
    UTILIZATION("Utilization"),
    AVERAGE_VALUE("AverageValue"),
    VALUE("Value");

    private final String apiName;

    TargetType(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  public MetricSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(source.apiName() + " metric needs a name");
    }
    if (target <= 0) {
      throw new IllegalArgumentException(
          source.apiName() + " metric " + name + ": target must be > 0, got " + target);
    }
    boolean resource = source == Source.RESOURCE || source == Source.CONTAINER_RESOURCE;
    if (targetType == TargetType.UTILIZATION && !resource) {
      throw new IllegalArgumentException(
          source.apiName() + " metric " + name + ": Utilization targets are for resources only");
    }
    if (targetType == TargetType.VALUE && resource) {
      throw new IllegalArgumentException(
          source.apiName()
              + " metric "
              + name
              + ": a resource target is Utilization or AverageValue, not Value");
    }
    if (source == Source.PODS && targetType != TargetType.AVERAGE_VALUE) {
      throw new IllegalArgumentException(
          "Pods metric " + name + ": the target must be AverageValue");
    }
    if (resource && !name.equals("cpu") && !name.equals("memory")) {
      throw new IllegalArgumentException(
          source.apiName() + " metric '" + name + "' is not modelled (only cpu and memory are)");
    }
    if (source == Source.CONTAINER_RESOURCE && container.isEmpty()) {
      throw new IllegalArgumentException(
          "ContainerResource metric " + name + " needs a container name");
    }
  }

  /** {@code Resource cpu} with an {@code averageUtilization} target. */
  public static MetricSpec cpuUtilization(int percent) {
    return new MetricSpec(
        Source.RESOURCE, "cpu", Optional.empty(), TargetType.UTILIZATION, percent);
  }

  /** {@code Resource memory} with an {@code averageUtilization} target. */
  public static MetricSpec memoryUtilization(int percent) {
    return new MetricSpec(
        Source.RESOURCE, "memory", Optional.empty(), TargetType.UTILIZATION, percent);
  }

  /** A {@code Pods} metric with an {@code averageValue} target (a milli-value). */
  public static MetricSpec pods(String name, long averageMilliValue) {
    return new MetricSpec(
        Source.PODS, name, Optional.empty(), TargetType.AVERAGE_VALUE, averageMilliValue);
  }

  /** An {@code External} metric with a {@code value} or {@code averageValue} target. */
  public static MetricSpec external(String name, TargetType type, long milliValue) {
    return new MetricSpec(Source.EXTERNAL, name, Optional.empty(), type, milliValue);
  }

  /** An {@code Object} metric with a {@code value} or {@code averageValue} target. */
  public static MetricSpec object(String name, TargetType type, long milliValue) {
    return new MetricSpec(Source.OBJECT, name, Optional.empty(), type, milliValue);
  }

  /** Whether this is a CPU or memory metric read from metrics-server. */
  public boolean isResource() {
    return source == Source.RESOURCE || source == Source.CONTAINER_RESOURCE;
  }

  /** Whether this is a CPU metric: only those set unready pods' samples aside. */
  public boolean isCpu() {
    return isResource() && name.equals("cpu");
  }

  /**
   * A short label for tables: {@code cpu}, {@code memory}, {@code cpu[app]}, {@code
   * pods/surge_http_requests_per_second}, {@code external/s0-prometheus}.
   */
  public String label() {
    return switch (source) {
      case RESOURCE -> name;
      case CONTAINER_RESOURCE -> name + "[" + container.orElse("") + "]";
      case PODS -> "pods/" + name;
      case OBJECT -> "object/" + name;
      case EXTERNAL -> "external/" + name;
    };
  }

  /** The target as the HPA writes it: {@code 70%}, {@code 50/pod}, {@code 100}. */
  public String targetText() {
    if (targetType == TargetType.UTILIZATION) {
      return target + "%";
    }
    String v =
        name.equals("memory") ? (target / 1000 / (1024 * 1024)) + "Mi" : trim(target / 1000.0);
    return targetType == TargetType.AVERAGE_VALUE ? v + "/pod" : v;
  }

  static String trim(double v) {
    return v == Math.rint(v)
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }
}
