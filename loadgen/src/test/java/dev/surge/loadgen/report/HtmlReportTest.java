package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report is the live page with the result embedded: what the page is given is checked here (the
 * drawing itself, in headless Chromium, by {@code ReportRenderIT}).
 */
class HtmlReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static JsonNode result;
  static String html;

  @BeforeAll
  static void renderARealRun() throws Exception {
    Path file = ReportFixtures.realResult(dir);
    result = JSON.readTree(file.toFile());
    html = HtmlReport.render(result, "result.json");
  }

  /** The JSON the page reads, taken back out of the page. */
  static JsonNode embedded(String page) throws Exception {
    Matcher m =
        Pattern.compile(
                "<script type=\"application/json\" id=\"surge-data\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(page);
    assertThat(m.find()).as("the data block").isTrue();
    return JSON.readTree(m.group(1).replace("<\\/", "</"));
  }

  @Test
  void embedsTheResultWithoutItsHistograms() throws Exception {
    JsonNode data = embedded(html);
    assertThat(data.path("mode").asText()).isEqualTo("report");
    assertThat(data.path("source").asText()).isEqualTo("result.json");
    assertThat(data.path("result").path("intervals")).isEqualTo(result.path("intervals"));
    assertThat(data.path("result").path("scaling")).isEqualTo(result.path("scaling"));
    assertThat(data.path("result").path("summary").has("histograms")).isFalse();
    assertThat(data.path("result").path("summary").path("requests"))
        .isEqualTo(result.path("summary").path("requests"));
  }

  @Test
  void isSelfContainedWithUplotAndThePageScriptInline() {
    assertThat(html)
        .contains("uPlot")
        .contains("window.surgeUi")
        .doesNotContainIgnoringCase("<link")
        .doesNotContain("src=\"http")
        .doesNotContain("//cdn");
  }

  @Test
  void labelsFiguresForHumansWithUnits() {
    // The page's labels, not JSON keys, are what a reader sees.
    assertThat(html)
        .contains("'Achieved rate', num(s.achievedRate, 1), 'req/s'")
        .contains("durationSeconds: ['Duration', 's']")
        .contains("Utilization against target");
  }

  @Test
  void aClosingScriptTagInTheResultCannotEndTheDataBlock() throws Exception {
    JsonNode hostile =
        JSON.readTree(
            "{\"config\":{\"url\":\"http://x/</script><script>alert(1)</script>\"},\"intervals\":[]}");
    String page = HtmlReport.render(hostile, "x.json");
    assertThat(page).doesNotContain("alert(1)</script>");
    assertThat(embedded(page).path("result").path("config").path("url").asText())
        .isEqualTo("http://x/</script><script>alert(1)</script>");
  }

  @Test
  void rejectsAResultWithoutIntervals() throws Exception {
    JsonNode other = JSON.readTree("{\"summary\":{}}");
    assertThatThrownBy(() -> HtmlReport.render(other, "x.json"))
        .hasMessage("x.json has no intervals[] array: is it a surge-loadgen result?");
  }
}
