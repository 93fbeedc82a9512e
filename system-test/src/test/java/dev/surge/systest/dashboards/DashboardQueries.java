package dev.surge.systest.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a dashboard's panel targets into the PromQL Grafana would send: every variable reference
 * ({@code $name}, {@code ${name}}, {@code ${name:format}}, {@code [[name]]}) replaced by a value.
 * Constant, custom and textbox variables take the dashboard's current value; query variables and
 * Grafana's built-ins ({@code $__rate_interval}, {@code $__range}, ...) take the value the caller
 * gives. A reference to anything else fails, naming it — so a typo in a variable name breaks a
 * test, not a panel.
 *
 * <pre>{@code
 * List<PanelQuery> queries = DashboardQueries.of(dashboard, Map.of("namespace", "surge", "pod", ".*",
 *     "__rate_interval", "1m", "__range", "5m"));
 * }</pre>
 */
public final class DashboardQueries {
  /**
   * {@code ${name}}, {@code ${name:format}}, {@code [[name]]} or {@code $name}; a name starts with
   * a letter or an underscore, so PromQL's {@code $1} (label_replace capture groups) is not taken
   * for a variable.
   */
  static final Pattern REFERENCE =
      Pattern.compile(
          "\\$\\{([A-Za-z_]\\w*)(?::\\w+)?}|\\[\\[([A-Za-z_]\\w*)]]|\\$([A-Za-z_]\\w*)");

  /** label_values(selector, label) or label_values(label). */
  static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((?:(.+),\\s*)?(\\w+)\\s*\\)\\s*$");

  private DashboardQueries() {}

  /** Every target of every data panel, substituted. */
  public static List<PanelQuery> of(Dashboard dashboard, Map<String, String> values) {
    Map<String, String> all = valuesFor(dashboard, values);
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.dataPanels()) {
      for (JsonNode target : panel.path("targets")) {
        String where =
            dashboard.uid()
                + " panel #"
                + panel.path("id").asInt()
                + " \""
                + panel.path("title").asText()
                + "\"";
        queries.add(
            new PanelQuery(
                dashboard.uid(),
                panel.path("id").asInt(),
                panel.path("title").asText(),
                target.path("refId").asText(),
                substitute(target.path("expr").asText(), all, where)));
      }
    }
    return queries;
  }

  /**
   * A query variable's {@code label_values(...)} split into the series selector (may be empty) and
   * the label.
   */
  public record LabelValues(String variable, String selector, String label) {}

  /** The query variables of {@code dashboard} as label_values lookups, substituted. */
  public static List<LabelValues> variableQueries(Dashboard dashboard, Map<String, String> values) {
    Map<String, String> all = valuesFor(dashboard, values);
    List<LabelValues> list = new ArrayList<>();
    for (JsonNode v : dashboard.variables()) {
      if (!"query".equals(v.path("type").asText())) {
        continue;
      }
      String name = v.path("name").asText();
      String query = queryText(v);
      Matcher m = LABEL_VALUES.matcher(query);
      if (!m.matches()) {
        throw new AssertionError(
            dashboard.uid() + " variable " + name + ": not a label_values(...) query: " + query);
      }
      String selector =
          m.group(1) == null
              ? ""
              : substitute(m.group(1), all, dashboard.uid() + " variable " + name);
      list.add(new LabelValues(name, selector, m.group(2)));
    }
    return list;
  }

  /**
   * The query text of a query variable (Grafana stores either a string or {@code {"query": ...}}).
   */
  static String queryText(JsonNode variable) {
    JsonNode q = variable.path("query");
    return q.isTextual()
        ? q.asText()
        : q.path("query").asText(variable.path("definition").asText());
  }

  /** Every variable name referenced in {@code text}. */
  static Set<String> references(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      names.add(name(m));
    }
    return names;
  }

  private static Map<String, String> valuesFor(Dashboard dashboard, Map<String, String> given) {
    Map<String, String> all = new LinkedHashMap<>(given);
    for (JsonNode v : dashboard.variables()) {
      String type = v.path("type").asText();
      if (type.equals("custom") || type.equals("textbox") || type.equals("constant")) {
        JsonNode current = v.path("current").path("value");
        String value =
            current.isArray() ? current.path(0).asText() : current.asText(v.path("query").asText());
        all.putIfAbsent(v.path("name").asText(), value);
      }
    }
    return all;
  }

  private static String substitute(String expr, Map<String, String> values, String where) {
    Matcher m = REFERENCE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = name(m);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            where + ": no value for variable $" + name + " in " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String name(Matcher m) {
    return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
  }
}
