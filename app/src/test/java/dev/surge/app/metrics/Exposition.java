package dev.surge.app.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small parser of the Prometheus text exposition format (0.0.4), enough for tests to ask "which
 * samples does metric X have, with which labels and values" without string matching on whole lines.
 */
public final class Exposition {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.get(name);
    }
  }

  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> helps = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private Exposition() {}

  public static Exposition parse(String text) {
    Exposition e = new Exposition();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        e.types.put(parts[0], parts[1]);
      } else if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        e.helps.put(parts[0], parts.length > 1 ? parts[1] : "");
      } else if (!line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("not a sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        e.samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
      }
    }
    return e;
  }

  /** The {@code # TYPE} of a metric family, or null. */
  public String type(String family) {
    return types.get(family);
  }

  public String help(String family) {
    return helps.get(family);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Samples with exactly this name. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * The value of the one sample with this name whose labels include {@code labels} (pairs), or NaN.
   */
  public double value(String name, String... labels) {
    List<Sample> found =
        samples(name).stream()
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (found.size() > 1) {
      throw new IllegalArgumentException(
          found.size() + " samples of " + name + " match " + List.of(labels));
    }
    return found.isEmpty() ? Double.NaN : found.get(0).value();
  }
}
