package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.report.SvgChart.Point;
import dev.surge.loadgen.report.SvgChart.Style;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The chart is well-formed SVG whose series, ticks and paths can be read back. */
class SvgChartTest {
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> byClass(Document d, String tag, String cls) {
    NodeList all = d.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<String> texts(List<Element> elements) {
    return elements.stream().map(Element::getTextContent).toList();
  }

  @Test
  void oneGroupPerSeriesInDrawingOrderWithTheLegendInGivenOrder() throws Exception {
    String svg =
        SvgChart.builder()
            .title("Rate")
            .yLabel("requests/s")
            .line("target", "#888", List.of(new Point(0, 0), new Point(60, 100)), Style.DASHED)
            .band(
                "share",
                "#0a0",
                List.of(new Point(0, 0), new Point(60, 0)),
                List.of(new Point(0, 50), new Point(60, 50)))
            .build()
            .render();
    Document d = parse(svg);

    List<String> drawn =
        byClass(d, "g", "series").stream().map(e -> e.getAttribute("data-series")).toList();
    assertThat(drawn).as("areas first, so lines draw over them").containsExactly("share", "target");
    assertThat(texts(byClass(d, "g", "legend-item"))).containsExactly("target", "share");
    assertThat(d.getDocumentElement().getAttribute("aria-label")).isEqualTo("Rate");
    assertThat(svg).contains("stroke-dasharray=\"6 4\"").contains(" Z\" fill=\"#0a0\"");
  }

  @Test
  void yTicksAreNiceAndCoverTheDataXTicksAreDurations() throws Exception {
    Document d =
        parse(
            SvgChart.builder()
                .line("p99", "#f00", List.of(new Point(0, 3), new Point(120, 87)), Style.SOLID)
                .build()
                .render());

    List<String> ticks = texts(byClass(d, "text", "tick"));
    assertThat(ticks).startsWith("0", "20", "40", "60", "80", "100");
    assertThat(ticks).endsWith("0", "20s", "40s", "1m", "1m20s", "1m40s", "2m");
  }

  @Test
  void pointsMapOntoThePlotAreaAndStepsDrawHorizontalThenVertical() throws Exception {
    Document d =
        parse(
            SvgChart.builder()
                .height(300)
                .yMax(100)
                .line(
                    "replicas",
                    "#00f",
                    List.of(new Point(0, 0), new Point(10, 50), new Point(20, 100)),
                    Style.STEP)
                .build()
                .render());

    Element path = (Element) d.getElementsByTagName("path").item(0);
    String[] moves = path.getAttribute("d").split(" (?=[MHVL])");
    // x: 72 (left margin) .. 1060 (width 1080 minus right margin 20); y: 0 at the bottom of the
    // plot, yMax at its top.
    assertThat(moves[0]).startsWith("M72.0 ");
    assertThat(moves).contains("H566.0", "H1060.0");
    double bottom = Double.parseDouble(moves[0].split(" ")[1]);
    double half = Double.parseDouble(moves[2].substring(1));
    double top = Double.parseDouble(moves[4].substring(1));
    assertThat(half).isCloseTo((bottom + top) / 2, org.assertj.core.api.Assertions.within(0.11));
  }

  @Test
  void namesAreEscaped() throws Exception {
    String svg =
        SvgChart.builder()
            .title("a <b> & \"c\"")
            .line("x<y", "#000", List.of(new Point(0, 1), new Point(1, 2)), Style.SOLID)
            .build()
            .render();

    Document d = parse(svg);
    assertThat(d.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("a <b> & \"c\"");
    assertThat(svg).doesNotContain("x<y").contains("x&lt;y");
  }

  @Test
  void aChartWithoutPointsStillRenders() throws Exception {
    Document d =
        parse(
            SvgChart.builder()
                .title("empty")
                .line("none", "#000", List.of(), Style.SOLID)
                .build()
                .render());
    assertThat(byClass(d, "g", "series")).hasSize(1);
    assertThat(d.getElementsByTagName("path").getLength()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|87|5|0 20 40 60 80 100",
        "0|1|5|0 0.2 0.4 0.6 0.8 1",
        "0|540|8|0 100 200 300 400 500 600",
        "30|95|8|30 40 50 60 70 80 90 100"
      })
  void niceTicksStepBy125TimesAPowerOfTen(double lo, double hi, int count, String expected) {
    List<String> ticks = new ArrayList<>();
    for (double t : SvgChart.niceTicks(lo, hi, count)) {
      ticks.add(SvgChart.number(t));
    }
    assertThat(String.join(" ", ticks)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"1200|1,200", "0.25|0.25", "2.5|2.5", "3.999999999999|4"})
  void numbersPrintShort(double v, String text) {
    assertThat(SvgChart.number(v)).isEqualTo(text);
  }
}
