package dev.surge.systest.k8s;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names and label matchers a PromQL expression uses, found lexically (Prometheus has no
 * Java parser): enough for rules written as ours are, and proven on them by {@code
 * PromqlNamesTest}.
 */
final class PromqlNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan",
          "Inf",
          "NaN");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![0-9A-Za-z_:.])[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Pattern SELECTOR =
      Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^}]*)\\}");
  private static final Pattern MATCHER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PromqlNames() {}

  /** One label matcher, e.g. {@code route=~"/api/.*"}. */
  record LabelMatcher(String label, String op, String value) {
    /**
     * Whether a series with {@code actual} (null when the label is absent) satisfies this matcher.
     */
    boolean matches(String actual) {
      String v = actual == null ? "" : actual;
      return switch (op) {
        case "=" -> v.equals(value);
        case "!=" -> !v.equals(value);
        case "=~" -> v.matches(value);
        case "!~" -> !v.matches(value);
        default -> throw new IllegalStateException(op);
      };
    }
  }

  /** A selector {@code name{matchers}}. */
  record Selector(String metric, List<LabelMatcher> matchers) {}

  /** The metric names (and recording-rule names) the expression reads, in order of appearance. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = s.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group();
      String after = s.substring(m.end()).stripLeading();
      if (KEYWORDS.contains(name) || after.startsWith("(")) {
        continue; // a keyword or a function call
      }
      names.add(name);
    }
    return names;
  }

  /** Every {@code name{...}} selector with its matchers. */
  static List<Selector> selectors(String expr) {
    List<Selector> out = new ArrayList<>();
    Matcher m = SELECTOR.matcher(expr);
    while (m.find()) {
      List<LabelMatcher> matchers = new ArrayList<>();
      Matcher mm = MATCHER.matcher(m.group(2));
      while (mm.find()) {
        matchers.add(new LabelMatcher(mm.group(1), mm.group(2), mm.group(3)));
      }
      out.add(new Selector(m.group(1), matchers));
    }
    return out;
  }
}
