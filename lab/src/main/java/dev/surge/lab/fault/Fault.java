package dev.surge.lab.fault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.common.Durations;
import dev.surge.common.Quantities;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault at a time in the run, injected through every pod's admin API (or, for {@code pod-kill},
 * by killing one pod's container), written {@code AT:KIND[=VALUE][/FOR]} on the command line or as
 * {@code {at, fault, value, for}} in a scenario file:
 *
 * <ul>
 *   <li>{@code 30s:error-rate=0.5/60s}: half of the requests fail ({@code PUT /admin/faults
 *       errorRate}), back to 0 after 60 s (or at the end without {@code /FOR});
 *   <li>{@code 30s:latency=700ms/60s}: every request waits 700 ms more ({@code
 *       addedLatencyMillis});
 *   <li>{@code 40s:memory-burn=200Mi/30s}: each pod holds 200 MiB more ({@code POST
 *       /admin/memory});
 *   <li>{@code 40s:cpu-burn=300m/30s}: each pod burns 300 millicores ({@code POST /admin/cpu});
 *   <li>{@code 50s:pod-kill}: the newest running pod's container is killed (SIGKILL), as an OOM
 *       kill or a node problem would; the kubelet restarts it in place.
 * </ul>
 *
 * @param atSeconds seconds after the load starts
 * @param kind what to inject
 * @param value the rate (0..1), the latency in ms, the MiB or the millicores; 0 for pod-kill
 * @param forSeconds how long it lasts; 0 until the end (error-rate, latency) or 30 s (burns)
 */
public record Fault(double atSeconds, Kind kind, double value, double forSeconds) {
  private static final Pattern SPEC = Pattern.compile("([^:]+):([a-z-]+)(?:=([^/]+))?(?:/(.+))?");

  /** The kinds of fault. */
  public enum Kind {
    ERROR_RATE("error-rate"),
    LATENCY("latency"),
    MEMORY_BURN("memory-burn"),
    CPU_BURN("cpu-burn"),
    POD_KILL("pod-kill");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    static Kind of(String text) {
      for (Kind k : values()) {
        if (k.text.equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown fault '" + text + "' (error-rate, latency, memory-burn, cpu-burn or pod-kill)");
    }
  }

  public Fault {
    if (!(atSeconds >= 0)) {
      throw new IllegalArgumentException("the time must be >= 0");
    }
    if (!(forSeconds >= 0)) {
      throw new IllegalArgumentException("the duration must be >= 0");
    }
    if (kind == Kind.ERROR_RATE && !(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("error-rate must be between 0 and 1, got " + value);
    }
    if ((kind == Kind.MEMORY_BURN || kind == Kind.CPU_BURN || kind == Kind.LATENCY)
        && !(value > 0)) {
      throw new IllegalArgumentException(kind.text + " needs a value > 0");
    }
  }

  /**
   * Parses {@code AT:KIND[=VALUE][/FOR]}.
   *
   * @throws IllegalArgumentException with what is wrong (the caller names the flag)
   */
  public static Fault parse(String spec) {
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected AT:KIND[=VALUE][/FOR], e.g. 30s:error-rate=0.5/60s");
    }
    return of(m.group(1), m.group(2), m.group(3), m.group(4));
  }

  /** One entry of a scenario file's {@code faults:} list. */
  public static Fault of(JsonNode entry) {
    return of(
        entry.path("at").asText(""),
        entry.path("fault").asText(""),
        entry.has("value") ? entry.path("value").asText() : null,
        entry.has("for") ? entry.path("for").asText() : null);
  }

  private static Fault of(String at, String kindText, String value, String forText) {
    Kind kind = Kind.of(kindText);
    if (at.isEmpty()) {
      throw new IllegalArgumentException("no time (at)");
    }
    double atSeconds = Durations.parseSeconds(at);
    double forSeconds = forText == null ? 0 : Durations.parseSeconds(forText);
    if (forSeconds == 0 && (kind == Kind.MEMORY_BURN || kind == Kind.CPU_BURN)) {
      forSeconds = 30;
    }
    double v =
        switch (kind) {
          case POD_KILL -> {
            if (value != null) {
              throw new IllegalArgumentException("pod-kill takes no value");
            }
            yield 0;
          }
          case ERROR_RATE -> Double.parseDouble(required(value, kind));
          case LATENCY -> Durations.parseSeconds(required(value, kind)) * 1000;
          case MEMORY_BURN -> Quantities.bytes(required(value, kind)) / (1024.0 * 1024.0);
          case CPU_BURN -> Quantities.cpuMillicores(required(value, kind));
        };
    return new Fault(atSeconds, kind, v, forSeconds);
  }

  private static String required(String value, Kind kind) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(kind.text + " needs a value, e.g. " + example(kind));
    }
    return value;
  }

  private static String example(Kind kind) {
    return switch (kind) {
      case ERROR_RATE -> "30s:error-rate=0.5/60s";
      case LATENCY -> "30s:latency=700ms/60s";
      case MEMORY_BURN -> "40s:memory-burn=200Mi/30s";
      case CPU_BURN -> "40s:cpu-burn=300m/30s";
      case POD_KILL -> "50s:pod-kill";
    };
  }

  /** When it stops (its end, or {@code runEnd} when it lasts until the end). */
  public double endSeconds(double runEnd) {
    return forSeconds > 0 ? atSeconds + forSeconds : runEnd;
  }

  @Override
  public String toString() {
    String v =
        switch (kind) {
          case POD_KILL -> "";
          case ERROR_RATE -> "=" + value;
          case LATENCY -> "=" + Math.round(value) + "ms";
          case MEMORY_BURN -> "=" + Math.round(value) + "Mi";
          case CPU_BURN -> "=" + Math.round(value) + "m";
        };
    return String.format(Locale.ROOT, "%.0fs:%s%s", atSeconds, kind.text, v)
        + (forSeconds > 0 && kind != Kind.POD_KILL
            ? String.format(Locale.ROOT, "/%.0fs", forSeconds)
            : "");
  }
}
