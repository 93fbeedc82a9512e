package dev.surge.loadgen.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.loadgen.testing.Cli;
import dev.surge.testkit.Chromium;
import dev.surge.testkit.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code run --ui} against two real app instances, watched by two real headless Chromiums
 * (one from the start, one that connects late), and the {@code report} of its result file opened in
 * a third: the same series everywhere, no console error.
 */
class LivePageIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  /** Every chart on the page: its series' labels and the data it draws. */
  static final String SERIES =
      "return JSON.stringify(Object.keys(surgeUi.charts).sort().map(function (k) {"
          + " var c = surgeUi.charts[k];"
          + " return {chart: k, labels: c.series.map(function (s) { return s.label; }), data: c.data};"
          + "}));";

  static boolean hasPage(Chromium browser) {
    return Boolean.TRUE.equals(browser.eval("return !!window.surgeUi;"));
  }

  static long number(Chromium browser, String expression) {
    Object v = browser.eval("return " + expression + ";");
    return v instanceof Number n ? n.longValue() : -1;
  }

  @Test
  void theLivePageALateBrowserAndTheReportShowTheSameSeries(@TempDir Path dir) throws Exception {
    try (SurgeApp a = app("pod-a");
        SurgeApp b = app("pod-b")) {
      Path scenario = dir.resolve("scenario.yaml");
      Files.writeString(
          scenario,
          """
          profile: "ramp:0->40/3s,hold:40/12s"
          requests:
            - url: http://127.0.0.1:%d/api/work?cpuMillis=1
              weight: 2
            - url: http://127.0.0.1:%d/api/work?cpuMillis=1&x=1
              weight: 1
          """
              .formatted(a.port(), b.port()));
      Path out = dir.resolve("result.json");
      // The command prints the URL only when it ends here (in-process output is captured), so
      // it is told a port: one that was free a moment ago.
      int port = FreePort.find();
      String url = "http://127.0.0.1:" + port + "/";
      // The browsers start first: three Chromiums take seconds on a loaded machine, longer than
      // this run's 15 s (the early browser then never saw it live).
      CompletableFuture<Cli.Result> run = null;
      try (Chromium early = Chromium.start(dir.resolve("early"));
          Chromium late = Chromium.start(dir.resolve("late"));
          Chromium reader = Chromium.start(dir.resolve("report"))) {
        CompletableFuture<Cli.Result> running =
            CompletableFuture.supplyAsync(
                () ->
                    Cli.run(
                        "run",
                        "--scenario",
                        scenario.toString(),
                        "--progress",
                        "off",
                        "--out",
                        out.toString(),
                        "--ui",
                        "--ui-port",
                        String.valueOf(port)));
        run = running; // the finally below waits for it, whatever fails first
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(300))
            // before the run listens, ChromeDriver's get fails with ERR_CONNECTION_REFUSED
            .ignoreExceptions()
            .until(
                () -> {
                  early.open(url);
                  return hasPage(early) && number(early, "surgeUi.state.connected ? 1 : 0") == 1;
                });
        await()
            .atMost(PATIENCE)
            .until(() -> number(early, "surgeUi.state.intervals.length") >= 5 || running.isDone());
        assertThat(running.isDone()).as("the run ended before the late browser came").isFalse();
        late.open(url);
        // The late browser first gets the history: the first second is there.
        await().atMost(PATIENCE).until(() -> number(late, "surgeUi.state.intervals.length") >= 5);
        assertThat(number(late, "Math.round(surgeUi.state.intervals[0].t)")).isEqualTo(1);

        for (Chromium browser : List.of(early, late)) {
          await().atMost(PATIENCE).until(() -> number(browser, "surgeUi.state.ended ? 1 : 0") == 1);
          assertThat(browser.eval("return document.getElementById('status').textContent;"))
              .asString()
              .startsWith("The run has ended");
        }
        Cli.Result r = running.get(3, TimeUnit.MINUTES);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ui       " + url);

        String live = (String) early.eval(SERIES);
        assertThat(late.eval(SERIES)).isEqualTo(live);
        JsonNode charts = new ObjectMapper().readTree(live);
        assertThat(charts.findValuesAsText("chart"))
            .containsExactly("chart-backends", "chart-errors", "chart-latency", "chart-rate");
        JsonNode result = new ObjectMapper().readTree(out.toFile());
        assertThat(charts.get(3).path("data").get(0).size())
            .as("one point per interval")
            .isEqualTo(result.path("intervals").size());
        assertThat(result.path("events").findValuesAsText("kind")).contains("run");

        Path html = dir.resolve("report.html");
        Cli.Result rep = Cli.run("report", out.toString(), "-o", html.toString());
        assertThat(rep.exitCode()).as(rep.err()).isZero();
        reader.open(html.toUri().toString());
        await().atMost(PATIENCE).until(() -> hasPage(reader));
        assertThat(reader.eval(SERIES))
            .as("the report draws what the live page drew")
            .isEqualTo(live);
        for (Chromium browser : List.of(early, late, reader)) {
          // (the first tries may have come before the server listened)
          assertThat(browser.consoleErrors())
              .filteredOn(e -> !e.contains("ERR_CONNECTION_REFUSED"))
              .isEmpty();
        }
      } finally {
        if (run != null) {
          run.get(3, TimeUnit.MINUTES);
        }
      }
    }
  }

  private static SurgeApp app(String instance) {
    return SurgeApp.start(
        AppConfig.parse(
            List.of(
                "--port",
                "0",
                "--metrics-port",
                "0",
                "--drain-delay",
                "0ms",
                "--instance",
                instance),
            Map.of()));
  }
}
