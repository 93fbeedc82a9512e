package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  @TempDir static Path dir;
  static String html;
  static Map<String, Document> charts = new LinkedHashMap<>();

  @BeforeAll
  static void renderARealRun() throws Exception {
    Path result = ReportFixtures.realResult(dir);
    html = HtmlReport.render(new ObjectMapper().readTree(result.toFile()), "result.json");
    for (Document d : ReportFixtures.svgs(html)) {
      charts.put(d.getElementsByTagName("title").item(0).getTextContent(), d);
    }
  }

  private static List<String> series(Document chart) {
    List<String> names = new ArrayList<>();
    NodeList groups = chart.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if ("series".equals(g.getAttribute("class"))
          && g.getElementsByTagName("path").getLength() > 0) {
        names.add(g.getAttribute("data-series"));
      }
    }
    return names;
  }

  private static List<String> axisLabels(Document chart) {
    List<String> labels = new ArrayList<>();
    NodeList texts = chart.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      if ("axis-label".equals(t.getAttribute("class"))) {
        labels.add(t.getTextContent());
      }
    }
    return labels;
  }

  @Test
  void drawsEveryChartWithItsSeriesAndLabelledAxes() {
    assertThat(charts.keySet())
        .containsExactly(
            "Target vs achieved rate",
            "Latency percentiles per interval",
            "Errors and dropped per interval",
            "Share of responses by backend instance",
            "Replicas over time");
    assertThat(series(charts.get("Target vs achieved rate"))).containsExactly("target", "achieved");
    assertThat(series(charts.get("Latency percentiles per interval")))
        .contains("corrected p50", "corrected p99", "uncorrected p50", "uncorrected p99");
    assertThat(series(charts.get("Errors and dropped per interval")))
        .containsExactly("errors", "dropped");
    // two real app instances: twice the traffic to pod-a, drawn busiest first
    assertThat(series(charts.get("Share of responses by backend instance")))
        .containsExactly("pod-a", "pod-b");
    assertThat(series(charts.get("Replicas over time")))
        .containsExactly("observed current", "observed desired", "observed ready", "simulated");
    for (Document chart : charts.values()) {
      assertThat(axisLabels(chart)).hasSize(2).contains("time since start");
    }
    assertThat(axisLabels(charts.get("Target vs achieved rate"))).contains("requests/s");
    assertThat(axisLabels(charts.get("Latency percentiles per interval"))).contains("milliseconds");
  }

  @Test
  void showsTheSummaryFiguresAndTheScalingTimes() {
    assertThat(html)
        .contains("<dt>requests</dt>")
        .contains("<dt>corrected p99 (ms)</dt>")
        .contains("<dt>scaling scaleUpSeconds</dt>");
  }

  @Test
  void isSelfContained() {
    assertThat(html)
        .doesNotContainIgnoringCase("<script")
        .doesNotContainIgnoringCase("<link")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("url(");
  }

  @Test
  void notesMissingScalingDataInsteadOfAnEmptyChart() throws Exception {
    JsonNode noScaling =
        new ObjectMapper().readTree("{\"summary\":{},\"intervals\":[{\"t\":1,\"targetRate\":5}]}");
    String page = HtmlReport.render(noScaling, "x.json");
    assertThat(page).contains("No scaling data").contains("no per-backend counts");
    assertThat(ReportFixtures.svgs(page)).hasSize(3);
  }

  @Test
  void rejectsAResultWithoutIntervals() throws Exception {
    JsonNode other = new ObjectMapper().readTree("{\"summary\":{}}");
    assertThatThrownBy(() -> HtmlReport.render(other, "x.json"))
        .hasMessage("x.json has no intervals[] array: is it a surge-loadgen result?");
  }

  @Test
  void picksNiceTicks() {
    assertThat(SvgChart.niceTicks(0, 187, 5)).containsExactly(0, 50, 100, 150, 200);
    assertThat(SvgChart.niceTicks(0, 1, 5))
        .containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1);
  }
}
