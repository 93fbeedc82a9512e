package dev.surge.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.loadgen.report.SvgChart.Point;
import dev.surge.loadgen.report.SvgChart.Style;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a loadgen result ({@code run --out result.json}) into one self-contained HTML page: inline
 * CSS and SVG, no script, nothing fetched. Reads the result by key names, so fields it does not
 * know are ignored and missing ones leave their chart out with a note:
 *
 * <ul>
 *   <li>{@code summary.*}: shown as figures at the top;
 *   <li>{@code intervals[]}: {@code t, targetRate, achievedRate, errors, dropped,
 *       latencyMillis.{corrected, uncorrected}.{p50,p90,p99,max}, backends{instance: count}};
 *   <li>{@code scaling}: {@code timeline[] {t, currentReplicas, desiredReplicas, readyReplicas}},
 *       {@code simulated[] {t, replicas}}, {@code scaleUpSeconds}, {@code scaleDownSeconds}.
 * </ul>
 *
 * <pre>{@code
 * String html = HtmlReport.render(new ObjectMapper().readTree(file), "result.json");
 * }</pre>
 */
public final class HtmlReport {
  static final String[] PALETTE = {
    "#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563"
  };
  private static final String TARGET = "#94a3b8";
  private static final int MAX_BACKENDS = 7;
  private static final java.util.Set<String> HIDDEN =
      java.util.Set.of("histograms", "errorsByKind");
  private static final java.util.Set<String> LATENCY_SHOWN = java.util.Set.of("p50", "p99", "max");

  private HtmlReport() {}

  /**
   * Renders the page.
   *
   * @param result the parsed result JSON
   * @param source where it came from, shown in the header
   */
  public static String render(JsonNode result, String source) {
    JsonNode intervals = result.path("intervals");
    if (!intervals.isArray()) {
      throw new IllegalArgumentException(
          source + " has no intervals[] array: is it a surge-loadgen result?");
    }
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>surge load report</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<main>\n");
    h.append("<header><h1>surge load report</h1><p class=\"source\">").append(SvgChart.esc(source));
    for (String key : List.of("startedAt")) {
      if (result.path(key).isTextual()) {
        h.append(" &middot; ").append(SvgChart.esc(result.path(key).asText()));
      }
    }
    h.append(" &middot; ").append(intervals.size()).append(" intervals</p>\n");
    JsonNode config = result.path("config");
    for (String key : List.of("url", "profile", "scenario")) {
      if (config.path(key).isTextual() && !config.path(key).asText().isEmpty()) {
        h.append("<p class=\"config\"><span>")
            .append(key)
            .append("</span> <code>")
            .append(SvgChart.esc(config.path(key).asText()))
            .append("</code></p>\n");
      }
    }
    h.append("</header>\n");
    h.append(summary(result.path("summary"), result.path("scaling")));

    h.append(
        section(
            "Request rate",
            "Target is what the profile asked for; achieved is responses completed.",
            rateChart(intervals)));
    h.append(
        section(
            "Latency",
            "Corrected latency counts from the intended send time (coordinated omission corrected); uncorrected from the"
                + " actual send. A gap between them means requests waited to be sent.",
            latencyChart(intervals)));
    h.append(
        section(
            "Errors and dropped requests",
            "Per interval. Dropped requests hit the in-flight cap.",
            errorsChart(intervals)));
    String backends = backendChart(intervals);
    h.append(
        section(
            "Traffic share per backend",
            "Share of responses by the instance that served them (the app's X-Surge-Instance header).",
            backends == null ? note("The result has no per-backend counts.") : backends));
    String replicas = replicaChart(result.path("scaling"));
    boolean lab = "lab".equals(result.path("scaling").path("source").asText());
    h.append(
        section(
            "Replicas: observed vs simulated",
            (lab
                    ? "Observed in the lab: app processes as pods, scaled by the HPA model from their measured CPU"
                    : "Observed from kube-state-metrics via Prometheus during the run")
                + "; simulated by the HPA model for the same profile.",
            replicas == null
                ? note(
                    "No scaling data: run in the lab (surge-lab.jar run) or with --prometheus URL --hpa namespace/name to record it.")
                : replicas));
    h.append(
        "<footer>Generated by surge-loadgen report. Self-contained: no scripts, nothing fetched.</footer>\n");
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String section(String title, String caption, String body) {
    return "<section>\n<h2>"
        + SvgChart.esc(title)
        + "</h2>\n<p class=\"caption\">"
        + SvgChart.esc(caption)
        + "</p>\n"
        + body
        + "</section>\n";
  }

  private static String note(String text) {
    return "<p class=\"note\">" + SvgChart.esc(text) + "</p>\n";
  }

  private static String summary(JsonNode summary, JsonNode scaling) {
    Map<String, String> figures = new LinkedHashMap<>();
    flatten("", summary, figures, 0);
    if (scaling.isObject()) {
      for (String k : List.of("scaleUpSeconds", "scaleDownSeconds")) {
        if (scaling.path(k).isNumber()) {
          figures.put("scaling." + k, SvgChart.number(scaling.path(k).asDouble()));
        }
      }
    }
    if (figures.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<section class=\"summary\">\n<dl>\n");
    figures.forEach(
        (k, v) ->
            b.append("<div class=\"figure\"><dt>")
                .append(SvgChart.esc(label(k)))
                .append("</dt><dd>")
                .append(SvgChart.esc(v))
                .append("</dd></div>\n"));
    return b.append("</dl>\n</section>\n").toString();
  }

  /**
   * {@code latencyMillis.corrected.p99} reads as {@code corrected p99 (ms)}; other keys as dotted
   * words.
   */
  static String label(String key) {
    if (key.startsWith("latencyMillis.")) {
      return key.substring("latencyMillis.".length()).replace('.', ' ') + " (ms)";
    }
    return key.replace('.', ' ');
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, int depth) {
    if (!node.isObject() || depth > 3) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (HIDDEN.contains(e.getKey())
          || (prefix.startsWith("latencyMillis")
              && !LATENCY_SHOWN.contains(e.getKey())
              && !v.isObject())) {
        continue; // encoded histograms and the less telling percentiles would drown the figures
        // that matter
      }
      if (v.isTextual() && v.asText().length() > 40) {
        continue;
      }
      if (v.isNumber()) {
        out.put(key, SvgChart.number(v.asDouble()));
      } else if (v.isTextual() || v.isBoolean()) {
        out.put(key, v.asText());
      } else if (v.isObject()) {
        flatten(key, v, out, depth + 1);
      }
    }
  }

  private static List<Point> points(JsonNode intervals, String... path) {
    List<Point> points = new ArrayList<>();
    for (JsonNode i : intervals) {
      JsonNode v = i;
      for (String p : path) {
        v = v.path(p);
      }
      if (i.path("t").isNumber() && v.isNumber()) {
        points.add(new Point(i.path("t").asDouble(), v.asDouble()));
      }
    }
    return points;
  }

  private static String rateChart(JsonNode intervals) {
    return SvgChart.builder()
        .title("Target vs achieved rate")
        .yLabel("requests/s")
        .line("target", TARGET, points(intervals, "targetRate"), Style.DASHED)
        .line("achieved", PALETTE[0], points(intervals, "achievedRate"), Style.SOLID)
        .build()
        .render();
  }

  private static String latencyChart(JsonNode intervals) {
    SvgChart.Builder c =
        SvgChart.builder()
            .title("Latency percentiles per interval")
            .yLabel("milliseconds")
            .height(340);
    String[] quantiles = {"p50", "p90", "p99"};
    for (int q = 0; q < quantiles.length; q++) {
      c.line(
          "corrected " + quantiles[q],
          PALETTE[q + 1],
          points(intervals, "latencyMillis", "corrected", quantiles[q]),
          Style.SOLID);
    }
    for (int q = 0; q < quantiles.length; q++) {
      c.line(
          "uncorrected " + quantiles[q],
          PALETTE[q + 1],
          points(intervals, "latencyMillis", "uncorrected", quantiles[q]),
          Style.DASHED);
    }
    return c.build().render();
  }

  private static String errorsChart(JsonNode intervals) {
    return SvgChart.builder()
        .title("Errors and dropped per interval")
        .yLabel("requests")
        .height(240)
        .line("errors", "#dc2626", points(intervals, "errors"), Style.SOLID)
        .line("dropped", "#ca8a04", points(intervals, "dropped"), Style.DASHED)
        .build()
        .render();
  }

  /** Stacked percentage bands, the busiest backends first, the rest as "other". */
  private static String backendChart(JsonNode intervals) {
    Map<String, Double> totals = new LinkedHashMap<>();
    for (JsonNode i : intervals) {
      i.path("backends")
          .properties()
          .forEach(e -> totals.merge(e.getKey(), e.getValue().asDouble(), Double::sum));
    }
    if (totals.isEmpty()) {
      return null;
    }
    List<String> names =
        totals.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .map(Map.Entry::getKey)
            .toList();
    List<String> shown = names.subList(0, Math.min(MAX_BACKENDS, names.size()));
    boolean other = names.size() > shown.size();
    int bands = shown.size() + (other ? 1 : 0);
    List<List<Point>> cumulative = new ArrayList<>();
    for (int b = 0; b <= bands; b++) {
      cumulative.add(new ArrayList<>());
    }
    for (JsonNode i : intervals) {
      JsonNode backends = i.path("backends");
      double total = 0;
      for (Iterator<JsonNode> it = backends.elements(); it.hasNext(); ) {
        total += it.next().asDouble();
      }
      if (total <= 0 || !i.path("t").isNumber()) {
        continue;
      }
      double t = i.path("t").asDouble();
      double acc = 0;
      cumulative.get(0).add(new Point(t, 0));
      for (int b = 0; b < bands; b++) {
        double v;
        if (b < shown.size()) {
          v = backends.path(shown.get(b)).asDouble(0);
        } else {
          v = total;
          for (String s : shown) {
            v -= backends.path(s).asDouble(0);
          }
        }
        acc += v / total * 100;
        cumulative.get(b + 1).add(new Point(t, acc));
      }
    }
    SvgChart.Builder c =
        SvgChart.builder()
            .title("Share of responses by backend instance")
            .yLabel("% of responses")
            .yMax(100);
    for (int b = 0; b < bands; b++) {
      String name = b < shown.size() ? shown.get(b) : "other";
      c.band(name, PALETTE[b % PALETTE.length], cumulative.get(b), cumulative.get(b + 1));
    }
    return c.build().render();
  }

  private static String replicaChart(JsonNode scaling) {
    JsonNode timeline = scaling.path("timeline");
    JsonNode simulated = scaling.path("simulated");
    if ((!timeline.isArray() || timeline.isEmpty())
        && (!simulated.isArray() || simulated.isEmpty())) {
      return null;
    }
    SvgChart.Builder c = SvgChart.builder().title("Replicas over time").yLabel("replicas");
    if (timeline.isArray() && !timeline.isEmpty()) {
      c.line("observed current", PALETTE[0], points(timeline, "currentReplicas"), Style.STEP);
      c.line(
          "observed desired", PALETTE[3], points(timeline, "desiredReplicas"), Style.STEP_DASHED);
      c.line("observed ready", PALETTE[2], points(timeline, "readyReplicas"), Style.STEP);
    }
    if (simulated.isArray() && !simulated.isEmpty()) {
      c.line("simulated", PALETTE[1], points(simulated, "replicas"), Style.STEP_DASHED);
    }
    return c.build().render();
  }

  private static final String CSS =
      """
      :root { color-scheme: light; }
      * { box-sizing: border-box; }
      body { margin: 0; background: #f8fafc; color: #0f172a;
        font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      main { max-width: 1140px; margin: 0 auto; padding: 32px 24px 48px; }
      header h1 { margin: 0; font-size: 28px; letter-spacing: -0.02em; }
      header .source { margin: 4px 0 8px; color: #64748b; }
      header .config { margin: 0 0 4px; color: #334155; font-size: 13px; }
      header .config span { display: inline-block; min-width: 56px; color: #64748b; }
      header { margin-bottom: 20px; }
      code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px;
        background: #eef2f7; padding: 1px 6px; border-radius: 4px; }
      section { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 20px 24px;
        margin-bottom: 20px; box-shadow: 0 1px 2px rgba(15, 23, 42, 0.04); }
      h2 { margin: 0 0 4px; font-size: 18px; }
      .caption { margin: 0 0 12px; color: #64748b; font-size: 13px; }
      .note { color: #64748b; font-style: italic; }
      .summary dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px;
        margin: 0; }
      .figure { background: #f1f5f9; border-radius: 8px; padding: 10px 12px; }
      .figure dt { color: #64748b; font-size: 12px; overflow-wrap: anywhere; }
      .figure dd { margin: 2px 0 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
      svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
      svg .grid { stroke: #e2e8f0; stroke-width: 1; }
      svg .baseline { stroke: #94a3b8; stroke-width: 1; }
      svg .tickmark { stroke: #94a3b8; }
      svg .tick { fill: #64748b; font-size: 12px; font-variant-numeric: tabular-nums; }
      svg .axis-label { fill: #334155; font-size: 13px; font-weight: 600; }
      svg .chart-title { fill: #0f172a; font-size: 14px; font-weight: 600; }
      svg .legend text { fill: #334155; font-size: 12px; }
      footer { color: #94a3b8; font-size: 12px; text-align: center; margin-top: 24px; }
      """;
}
