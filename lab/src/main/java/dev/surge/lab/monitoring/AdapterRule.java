package dev.surge.lab.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One custom-metrics rule of prometheus-adapter ({@code rules.custom[]} of its Helm values), as the
 * adapter answers a {@code Pods} metric with it: the series named by {@code seriesQuery}, exposed
 * as {@code name.as} (the series name rewritten by {@code name.matches}), and for a set of pods the
 * {@code metricsQuery} template with {@code <<.Series>>}, {@code <<.LabelMatchers>>} (the namespace
 * and the pods, through the {@code resources.overrides} labels) and {@code <<.GroupBy>>} (the pod
 * label) filled in, one value per pod.
 *
 * <pre>{@code
 * AdapterRule rule = AdapterRule.read(valuesYaml).get(0);
 * String q = rule.query("surge", List.of("surge-abc-1", "surge-abc-2"));
 * }</pre>
 *
 * @param series the series the rule reads ({@code surge_http_requests_total})
 * @param metricName the custom metric it serves ({@code surge_http_requests_per_second})
 * @param namespaceLabel the label that carries the namespace
 * @param podLabel the label that carries the pod
 * @param metricsQuery the template
 */
public record AdapterRule(
    String series, String metricName, String namespaceLabel, String podLabel, String metricsQuery) {
  private static final Pattern SERIES_NAME = Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

  /**
   * The custom rules of the adapter's Helm values.
   *
   * @throws IllegalArgumentException naming the field a rule lacks
   */
  public static List<AdapterRule> read(JsonNode values) {
    List<AdapterRule> rules = new ArrayList<>();
    int i = 0;
    for (JsonNode r : values.path("rules").path("custom")) {
      String where = "rules.custom[" + i++ + "]";
      Matcher m = SERIES_NAME.matcher(r.path("seriesQuery").asText(""));
      if (!m.find()) {
        throw new IllegalArgumentException(where + ": seriesQuery names no series");
      }
      String series = m.group(1);
      String matches = r.path("name").path("matches").asText("^" + series + "$");
      String as = r.path("name").path("as").asText("");
      String name = as.isEmpty() ? series : series.replaceAll(matches, as);
      String namespaceLabel = "namespace";
      String podLabel = "";
      for (Map.Entry<String, JsonNode> e : r.path("resources").path("overrides").properties()) {
        String resource = e.getValue().path("resource").asText();
        if (resource.equals("namespace")) {
          namespaceLabel = e.getKey();
        } else if (resource.equals("pod") || resource.equals("pods")) {
          podLabel = e.getKey();
        }
      }
      String query = r.path("metricsQuery").asText("");
      if (query.isEmpty()) {
        throw new IllegalArgumentException(where + ": no metricsQuery");
      }
      if (!podLabel.isEmpty()) {
        rules.add(new AdapterRule(series, name, namespaceLabel, podLabel, query));
      }
    }
    return rules;
  }

  /** The PromQL the adapter runs for these pods of {@code namespace}. */
  public String query(String namespace, List<String> pods) {
    String matchers =
        namespaceLabel
            + "=\""
            + namespace
            + "\","
            + podLabel
            + "=~\""
            + pods.stream().map(p -> p.replace("\\", "\\\\")).collect(Collectors.joining("|"))
            + "\"";
    return metricsQuery
        .replace("<<.Series>>", series)
        .replace("<<.LabelMatchers>>", matchers)
        .replace("<<.GroupBy>>", podLabel);
  }
}
