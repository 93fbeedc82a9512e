package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.testkit.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lab run --ui} watched by real headless Chromiums, for the IT whose run it is ({@link
 * LabIT}): one browser from the start, one that connects after the scale-out, and one that opens
 * the run's report. {@link #followScaleOut()} while the run goes on, {@link #afterTheRun} once the
 * lab has exited.
 *
 * <p>With {@code -Dsurge.screenshots=DIR} the picture of the live page in the middle of the
 * scale-out is also copied to {@code DIR/lab-live.png} (the README's, from {@code docs/img}).
 *
 * <p>Not thread-safe: the test thread only (a Chromium session is not thread-safe).
 */
final class LivePageWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final Pattern DECISION = Pattern.compile("(\\d+) -> (\\d+) replicas \\((.+)\\)");

  /** Every chart on the page: its series' labels and the data it draws. */
  private static final String SERIES =
      "return JSON.stringify(Object.keys(surgeUi.charts).sort().map(function (k) {"
          + " var c = surgeUi.charts[k];"
          + " return {chart: k, labels: c.series.map(function (s) { return s.label; }), data: c.data};"
          + "}));";

  private final Path dir;
  private final LabProcess lab;
  private final Chromium early;
  private final Chromium late;
  private final Chromium reader;

  private LivePageWatch(Path dir, LabProcess lab, Chromium early, Chromium late, Chromium reader) {
    this.dir = dir;
    this.lab = lab;
    this.early = early;
    this.late = late;
    this.reader = reader;
  }

  /** Starts the three browsers (profiles under {@code dir}); closes what started on a failure. */
  static LivePageWatch open(Path dir, LabProcess lab) throws IOException {
    Chromium early = Chromium.start(dir.resolve("early"));
    Chromium late = null;
    try {
      late = Chromium.start(dir.resolve("late"));
      Chromium reader = Chromium.start(dir.resolve("report"));
      return new LivePageWatch(dir, lab, early, late, reader);
    } catch (IOException | RuntimeException | Error e) {
      if (late != null) {
        late.close();
      }
      early.close();
      throw e;
    }
  }

  private static long number(Chromium browser, String expression) {
    Object v = browser.eval("return " + expression + ";");
    return v instanceof Number n ? n.longValue() : -1;
  }

  /**
   * While the lab runs: the URL is its first line; the early browser connects and sees a sync that
   * wants more than the 2 minReplicas; the picture of the page a few seconds later; a browser that
   * comes now first gets the history (the first second, the pods' start-up).
   */
  void followScaleOut() throws IOException {
    await().atMost(PATIENCE).until(() -> lab.uiUrl().isPresent() || !lab.process.isAlive());
    assertThat(lab.lines()).as(lab.text()).isNotEmpty();
    assertThat(lab.lines().get(0))
        .as("the URL comes first")
        .matches(LabProcess.UI.pattern() + ".*");
    String url = lab.uiUrl().orElseThrow();
    early.open(url);
    await().atMost(PATIENCE).until(() -> number(early, "surgeUi.state.connected ? 1 : 0") == 1);

    // The scale-out as the page sees it: a sync that wants more than the 2 minReplicas.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                number(
                            early,
                            "Math.max.apply(null, [0].concat(surgeUi.state.timeline.map("
                                + "function (e) { return e.currentReplicas; })))")
                        >= 3
                    || !lab.process.isAlive());
    assertThat(lab.process.isAlive()).as(lab.text()).isTrue();
    // a few more seconds of it, for the picture
    long seen = number(early, "surgeUi.state.intervals.length");
    await()
        .atMost(PATIENCE)
        .until(() -> number(early, "surgeUi.state.intervals.length") >= seen + 4);
    Path png = dir.resolve("lab-live.png");
    early.screenshot(png);
    String shots = System.getProperty("surge.screenshots", "");
    if (!shots.isEmpty()) {
      Files.copy(png, Path.of(shots).resolve("lab-live.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    // A browser that comes now first gets the history: the first second, the pods' start-up.
    late.open(url);
    await().atMost(PATIENCE).until(() -> number(late, "surgeUi.state.intervals.length") >= seen);
    assertThat(number(late, "Math.round(surgeUi.state.intervals[0].t)")).isEqualTo(1);
    assertThat(
            (String)
                late.eval(
                    "return surgeUi.state.events.map(function (e) {"
                        + " return e.kind + ' ' + e.subject + ' ' + e.message; }).join('\\n');"))
        .contains("container started (pid")
        .contains(" ready")
        .contains("hpa");
  }

  /**
   * After the lab exited: both pages say the run ended, their replicas chart reaches the result's
   * peak, the event list shows the scale-out and the scale-in with their reasons, both pages draw
   * the same series, and so does the report; no console error in any browser.
   */
  void afterTheRun(JsonNode result, Path report) throws IOException {
    for (Chromium browser : List.of(early, late)) {
      await().atMost(PATIENCE).until(() -> number(browser, "surgeUi.state.ended ? 1 : 0") == 1);
      assertThat(browser.eval("return document.getElementById('status').textContent;"))
          .asString()
          .startsWith("The run has ended");
    }

    // The page ends on the result's own cost (issue 20: the live cost tile).
    for (Chromium browser : List.of(early, late)) {
      JsonNode onPage =
          JSON.readTree((String) browser.eval("return JSON.stringify(surgeUi.state.cost);"));
      assertThat(
              onPage.equals(
                  (a, b) ->
                      a.isNumber() && b.isNumber()
                          ? Double.compare(a.asDouble(), b.asDouble())
                          : a.equals(b) ? 0 : 1,
                  result.path("cost")))
          .as("the page's cost %s%nthe result's %s", onPage, result.path("cost"))
          .isTrue();
    }

    int peak = LabProcess.max(result.path("scaling").path("timeline"), "currentReplicas");
    assertThat(peak).as(lab.text()).isGreaterThanOrEqualTo(3);
    for (Chromium browser : List.of(early, late)) {
      assertThat(
              number(
                  browser,
                  "Math.max.apply(null, surgeUi.charts['chart-replicas'].data[1]"
                      + ".filter(function (v) { return v != null; }))"))
          .as("the replicas chart reaches the peak of the result file")
          .isEqualTo(peak);
    }

    // The event list shows the scale-out and the scale-in, each with its reason.
    String events = (String) early.eval("return document.getElementById('events').innerText;");
    boolean out = false;
    boolean in = false;
    Matcher m = DECISION.matcher(events);
    while (m.find()) {
      int from = Integer.parseInt(m.group(1));
      int to = Integer.parseInt(m.group(2));
      assertThat(m.group(3)).as("the decision's reason").isNotBlank();
      out |= to > from;
      in |= to < from;
    }
    assertThat(out).as("a scale-out decision in the event list:\n%s", events).isTrue();
    assertThat(in).as("a scale-in decision in the event list:\n%s", events).isTrue();
    String decisions =
        (String) early.eval("return document.getElementById('decisions').innerText;");
    assertThat(decisions).contains("reason").contains("→");
    assertThat(result.path("events").findValuesAsText("kind")).contains("pod", "hpa", "run");

    String live = (String) early.eval(SERIES);
    assertThat(late.eval(SERIES)).isEqualTo(live);
    assertThat(JSON.readTree(live).findValuesAsText("chart"))
        .contains("chart-replicas", "chart-utilization", "chart-rate", "chart-backends");
    reader.open(report.toUri().toString());
    await()
        .atMost(PATIENCE)
        .until(() -> Boolean.TRUE.equals(reader.eval("return !!window.surgeUi;")));
    assertThat(reader.eval(SERIES)).as("the report draws what the live page drew").isEqualTo(live);
    String costTiles =
        "return JSON.stringify(Array.prototype.map.call("
            + "document.querySelectorAll('#cost-tiles [data-cost]'), function (t) {"
            + " return [t.getAttribute('data-cost'), Number(t.getAttribute('data-value'))]; }));";
    assertThat((String) reader.eval(costTiles))
        .as("the report's cost tiles are the live page's")
        .isEqualTo(early.eval(costTiles))
        .contains("staticAtPeak.cost");
    for (Chromium browser : List.of(early, late, reader)) {
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } finally {
      try {
        late.close();
      } finally {
        early.close();
      }
    }
  }
}
