package dev.surge.systest.k8s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (the app's real /metrics), as metric name plus
 * labels.
 */
record AppMetrics(List<Sample> samples) {
  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+\\S+.*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels) {}

  static AppMetrics parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line of the text format: " + line);
      }
      Map<String, String> labels = new HashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels));
    }
    return new AppMetrics(samples);
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * Whether some sample of the selector's metric satisfies all its matchers on labels the app
   * itself sets (target labels such as job, namespace and pod come from Prometheus, not from the
   * app, and are ignored).
   */
  boolean anyMatches(PromqlNames.Selector selector, List<String> targetLabels) {
    return samples.stream()
        .filter(s -> s.name().equals(selector.metric()))
        .anyMatch(
            s ->
                selector.matchers().stream()
                    .filter(m -> !targetLabels.contains(m.label()))
                    .allMatch(m -> m.matches(s.labels().get(m.label()))));
  }
}
