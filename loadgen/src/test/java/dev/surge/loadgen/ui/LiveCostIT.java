package dev.surge.loadgen.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.testkit.Chromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's cost on the page (a real headless Chromium on a real {@link UiServer}, fed as the lab
 * feeds it): running figures while the load runs, and at the end the result's own cost object, the
 * same figures the report of that result shows.
 */
class LiveCostIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(1);

  /** The cost tiles: each one's key in the result's cost object and its number. */
  private static final String TILES =
      "return JSON.stringify(Array.prototype.map.call("
          + "document.querySelectorAll('#cost-tiles [data-cost]'), function (t) {"
          + " return [t.getAttribute('data-cost'), Number(t.getAttribute('data-value')),"
          + " t.querySelector('.label').textContent]; }));";

  /** A cost object as the lab writes it (Lab.costFigures), with the SLO when {@code last}. */
  private static ObjectNode cost(double seconds, int peak, boolean last) {
    ObjectNode n = JSON.createObjectNode();
    double cores = 0.05;
    double requested = Math.round(seconds * peak * cores * 100) / 100.0;
    double price = requested / 3600 * 0.04048;
    n.put("currency", "USD");
    n.put("priceVcpuHour", 0.04048);
    n.put("priceGibHour", 0.004445);
    n.put("periodSeconds", seconds);
    n.put("requestedCoreSeconds", requested);
    n.put("requestedGibSeconds", requested * 2);
    n.put("usedCoreSeconds", requested / 3);
    n.put("idleShare", 0.6667);
    n.put("cost", price);
    n.put("peakReplicas", peak);
    n.putObject("staticAtPeak")
        .put("replicas", peak)
        .put("requestedCoreSeconds", requested * 1.5)
        .put("requestedGibSeconds", requested * 3)
        .put("cost", price * 1.5)
        .put("savingPercent", 33.33);
    n.putObject("staticAtMaxReplicas")
        .put("replicas", 4)
        .put("requestedCoreSeconds", requested * 3)
        .put("requestedGibSeconds", requested * 6)
        .put("cost", price * 3)
        .put("savingPercent", 66.67);
    if (last) {
      n.putObject("slo")
          .put("p99Millis", 812.5)
          .put("errorRatio", 0.0)
          .put("errorBudget", 0.005)
          .put("errorBudgetUsedPercent", 0.0);
      n.put("summary", "autoscaled cost ...");
    }
    return n;
  }

  /** JSON's equality: 30 and 30.0 are the same number (JavaScript writes 30.0 as 30). */
  private static int sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return Double.compare(a.asDouble(), b.asDouble());
    }
    return a.equals(b) ? 0 : 1;
  }

  private static Map<String, Double> numbers(JsonNode tiles) {
    Map<String, Double> m = new LinkedHashMap<>();
    tiles.forEach(t -> m.put(t.get(0).asText(), t.get(1).asDouble()));
    return m;
  }

  private static double at(JsonNode cost, String key) {
    JsonNode n = cost;
    for (String part : key.split("\\.")) {
      n = n.path(part);
    }
    return n.asDouble(Double.NaN);
  }

  @Test
  void showsTheRunningCostThenTheResultsOwnAsTheReportDoes(@TempDir Path dir) throws Exception {
    try (UiServer server = UiServer.builder().build();
        Chromium browser = Chromium.start(dir.resolve("chromium"))) {
      server.started(Map.of("config", Map.of("url", "http://127.0.0.1:1/", "lab", true)));
      server.scalingInfo(Map.of("source", "lab"));
      browser.open(server.url());
      await()
          .atMost(PATIENCE)
          .until(() -> Boolean.TRUE.equals(browser.eval("return surgeUi.state.connected;")));

      ObjectNode running = cost(10, 2, false);
      server.cost(running);
      await()
          .atMost(PATIENCE)
          .until(() -> numbers(JSON.readTree((String) browser.eval(TILES))).size() >= 9);
      JsonNode tiles = JSON.readTree((String) browser.eval(TILES));
      assertThat(numbers(tiles).get("cost")).isEqualTo(running.path("cost").asDouble());
      assertThat(tiles.get(0).get(2).asText()).isEqualTo("Autoscaled so far");

      server.cost(cost(20, 3, false));
      ObjectNode last = cost(30, 3, true);
      server.cost(last);
      server.ended(
          new RunResult(
              "surge-loadgen",
              "0",
              "2026-01-01T00:00:00Z",
              Map.of(),
              null,
              List.of(),
              new Checks(true, false, null, List.of())));
      await()
          .atMost(PATIENCE)
          .until(() -> Boolean.TRUE.equals(browser.eval("return surgeUi.state.ended;")));
      JsonNode onPage =
          JSON.readTree((String) browser.eval("return JSON.stringify(surgeUi.state.cost);"));
      assertThat(onPage.equals(LiveCostIT::sameValue, last))
          .as("the page's last cost is the result's:\n%s\n%s", onPage, last)
          .isTrue();
      JsonNode live = JSON.readTree((String) browser.eval(TILES));
      Map<String, Double> shown = numbers(live);
      assertThat(shown)
          .containsOnlyKeys(
              "cost",
              "staticAtPeak.cost",
              "staticAtPeak.savingPercent",
              "staticAtMaxReplicas.cost",
              "staticAtMaxReplicas.savingPercent",
              "peakReplicas",
              "requestedCoreSeconds",
              "usedCoreSeconds",
              "idleShare",
              "slo.p99Millis",
              "slo.errorBudgetUsedPercent");
      shown.forEach((key, v) -> assertThat(v).as(key).isEqualTo(at(last, key)));
      assertThat(live.get(0).get(2).asText()).isEqualTo("Autoscaled");
      String text = (String) browser.eval("return document.getElementById('cost').innerText;");
      assertThat(text).contains("USD").contains("−33 %").doesNotContain("staticAtPeak");

      // The report of a result with that cost: the same tiles, the same numbers.
      ObjectNode result = JSON.createObjectNode();
      result.put("tool", "surge-lab");
      result.putObject("config").put("lab", true);
      result.putArray("intervals");
      result.set("cost", last);
      Path html = dir.resolve("report.html");
      Files.writeString(
          html,
          Page.report(JSON.writeValueAsString(result), "result.json"),
          StandardCharsets.UTF_8);
      browser.open(html.toUri().toString());
      await()
          .atMost(PATIENCE)
          .until(() -> Boolean.TRUE.equals(browser.eval("return !!window.surgeUi;")));
      assertThat(JSON.readTree((String) browser.eval(TILES))).isEqualTo(live);
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }
}
