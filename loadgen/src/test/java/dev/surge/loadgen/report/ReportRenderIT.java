package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.testkit.Chromium;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a real run, drawn by a real headless Chromium (Debian's chromium). */
class ReportRenderIT {
  @TempDir Path dir;

  @Test
  void drawsEveryChartWithItsSeriesWithoutAConsoleError() throws Exception {
    Path result = ReportFixtures.realResult(dir);
    JsonNode json = new ObjectMapper().readTree(result.toFile());
    Path html = dir.resolve("report.html");
    Files.writeString(html, HtmlReport.render(json, "result.json"), StandardCharsets.UTF_8);
    try (Chromium browser = Chromium.start(dir.resolve("chromium"))) {
      browser.open(html.toUri().toString());
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> Boolean.TRUE.equals(browser.eval("return !!window.surgeUi;")));
      assertThat(browser.eval("return Object.keys(surgeUi.charts).sort().join(',');"))
          .isEqualTo("chart-backends,chart-errors,chart-latency,chart-rate,chart-replicas");
      assertThat(labels(browser, "chart-rate")).isEqualTo("t,target,achieved");
      assertThat(labels(browser, "chart-replicas"))
          .isEqualTo("t,observed current,observed desired,observed ready,simulated");
      // two real app instances, twice the traffic to pod-a: drawn as a stack, pod-a at the bottom
      assertThat(labels(browser, "chart-backends")).isEqualTo("t,pod-b,pod-a");
      assertThat(browser.eval("return surgeUi.charts['chart-rate'].data[0].length;"))
          .isEqualTo((long) json.path("intervals").size());
      String tiles = (String) browser.eval("return document.getElementById('tiles').innerText;");
      assertThat(tiles)
          .contains("Achieved rate")
          .contains("req/s")
          .contains("Latency p99 (corrected)")
          .contains("Scale-up time")
          .doesNotContain("durationSeconds")
          .doesNotContain("achievedRate");
      assertThat(browser.consoleErrors()).isEmpty();
      Path png = dir.resolve("report.png");
      browser.screenshot(png);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
    }
  }

  private static String labels(Chromium browser, String chart) {
    return (String)
        browser.eval(
            "return surgeUi.charts[arguments[0]].series.map(function (s) { return s.label; })"
                + ".join(',');",
            chart);
  }
}
