package dev.surge.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.ui.Page;

/**
 * Turns a loadgen result ({@code run --out result.json}) into one self-contained HTML page: the
 * live page of {@code --ui} ({@link Page}) with the result embedded instead of the event stream,
 * uPlot and the page's script and style inline, nothing fetched. One renderer draws both, so the
 * report shows the same series the live page showed. The page reads the result by key names, so
 * fields it does not know are ignored and missing ones leave their chart out with a note:
 *
 * <ul>
 *   <li>{@code config.*} and {@code summary.*}: the header and the figures at the top, with human
 *       labels and units;
 *   <li>{@code intervals[]}: {@code t, targetRate, achievedRate, errors, errorsByKind, dropped,
 *       latencyMillis.{corrected, uncorrected}.{p50,p90,p99,max}, backends{instance: count}};
 *   <li>{@code scaling}: {@code timeline[] {t, currentReplicas, desiredReplicas, readyReplicas,
 *       utilizationPercent, reason, driver, metrics[]}}, {@code simulated[] {t, replicas}}, {@code
 *       scaleUpSeconds}, {@code scaleDownSeconds}, {@code lab.targetUtilizationPercent};
 *   <li>{@code events[] {t, kind, subject, message}} and {@code cost}.
 * </ul>
 *
 * <pre>{@code
 * String html = HtmlReport.render(new ObjectMapper().readTree(file), "result.json");
 * }</pre>
 */
public final class HtmlReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  /**
   * Renders the page.
   *
   * @param result the parsed result JSON
   * @param source where it came from, shown in the header
   * @throws IllegalArgumentException when the JSON is not a loadgen result (no {@code intervals[]})
   */
  public static String render(JsonNode result, String source) {
    if (!result.path("intervals").isArray()) {
      throw new IllegalArgumentException(
          source + " has no intervals[] array: is it a surge-loadgen result?");
    }
    // The histograms are for merge, not for the page: leave their base64 out of the file.
    JsonNode slim = result.deepCopy();
    if (slim.path("summary").isObject()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) slim.path("summary")).remove("histograms");
    }
    try {
      return Page.report(JSON.writeValueAsString(slim), source);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the result: " + e.getMessage(), e);
    }
  }
}
