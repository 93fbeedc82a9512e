package dev.surge.loadgen.report;

import dev.surge.common.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line / stacked-area chart rendered as inline SVG: axes with "nice" ticks and labels, a
 * legend, one {@code <g class="series" data-series="...">} per series so the output can be checked
 * by parsing it. Time is on x (seconds, labelled as durations).
 *
 * <pre>{@code
 * String svg = SvgChart.builder().title("Rate").yLabel("requests/s")
 *     .line("target", "#888", points, Style.DASHED).build().render();
 * }</pre>
 */
final class SvgChart {
  /** A point in data units. */
  record Point(double x, double y) {}

  /** How a series is drawn. */
  enum Style {
    SOLID,
    DASHED,
    STEP,
    STEP_DASHED,
    AREA
  }

  private record Series(String name, String color, List<Point> points, Style style) {}

  private static final int WIDTH = 1080;
  private static final int LEFT = 72;
  private static final int RIGHT = 20;
  private static final int TITLE_HEIGHT = 30;
  private static final int LEGEND_ROW = 20;
  private static final int BOTTOM = 48;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final int height;
  private final List<Series> series;
  private final Double yMaxFixed;

  private SvgChart(Builder b) {
    this.title = b.title;
    this.xLabel = b.xLabel;
    this.yLabel = b.yLabel;
    this.height = b.height;
    this.series = List.copyOf(b.series);
    this.yMaxFixed = b.yMax;
  }

  static Builder builder() {
    return new Builder();
  }

  String render() {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMax = 0;
    for (Series s : series) {
      for (Point p : s.points) {
        xMin = Math.min(xMin, p.x);
        xMax = Math.max(xMax, p.x);
        yMax = Math.max(yMax, p.y);
      }
    }
    if (xMin > xMax) {
      xMin = 0;
      xMax = 1;
    }
    if (xMax == xMin) {
      xMax = xMin + 1;
    }
    double[] yTicks = niceTicks(0, yMaxFixed != null ? yMaxFixed : (yMax <= 0 ? 1 : yMax), 5);
    double yTop = yMaxFixed != null ? yMaxFixed : yTicks[yTicks.length - 1];
    double[] xTicks = niceTicks(xMin, xMax, 8);
    // Legend items flow left to right under the title and wrap; the plot starts below them.
    List<double[]> legendAt = new ArrayList<>();
    double lx = LEFT;
    int row = 0;
    for (Series s : series) {
      double w = 34 + s.name.length() * 7.0;
      if (lx + w > WIDTH - RIGHT && lx > LEFT) {
        row++;
        lx = LEFT;
      }
      legendAt.add(new double[] {lx, TITLE_HEIGHT + row * LEGEND_ROW});
      lx += w;
    }
    final int top = TITLE_HEIGHT + (row + 1) * LEGEND_ROW + 12;
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = height - top - BOTTOM;
    final double x0 = xMin;
    final double xSpan = xMax - xMin;
    java.util.function.DoubleUnaryOperator sx = x -> LEFT + (x - x0) / xSpan * plotW;
    java.util.function.DoubleUnaryOperator sy = y -> top + plotH - Math.min(y, yTop) / yTop * plotH;

    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            height,
            WIDTH,
            height,
            esc(title)));
    b.append("<title>").append(esc(title)).append("</title>\n");
    // grid and y ticks
    b.append("<g class=\"axis y-axis\">\n");
    for (double t : yTicks) {
      if (t > yTop + 1e-9) {
        continue;
      }
      double y = sy.applyAsDouble(t);
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n",
              LEFT,
              WIDTH - RIGHT + 0.0,
              y,
              y,
              LEFT - 8,
              y + 4,
              esc(number(t))));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
            top + plotH / 2,
            esc(yLabel)));
    b.append("</g>\n<g class=\"axis x-axis\">\n");
    b.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"baseline\"/>%n",
            LEFT,
            WIDTH - RIGHT,
            top + plotH,
            top + plotH));
    for (double t : xTicks) {
      if (t < xMin - 1e-9 || t > xMax + 1e-9) {
        continue;
      }
      double x = sx.applyAsDouble(t);
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"tickmark\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>%n",
              x,
              x,
              top + plotH,
              top + plotH + 5,
              x,
              top + plotH + 20,
              esc(t == 0 ? "0" : Durations.format(t))));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            LEFT + plotW / 2,
            height - 8,
            esc(xLabel)));
    b.append("</g>\n");
    // series: areas first so lines draw over them
    List<Series> ordered =
        new ArrayList<>(series.stream().filter(s -> s.style == Style.AREA).toList());
    ordered.addAll(series.stream().filter(s -> s.style != Style.AREA).toList());
    for (Series s : ordered) {
      b.append("<g class=\"series\" data-series=\"").append(esc(s.name)).append("\">\n");
      if (!s.points.isEmpty()) {
        b.append(path(s, sx, sy));
      }
      b.append("</g>\n");
    }
    // title and legend
    b.append(
        String.format(
            Locale.ROOT,
            "<text class=\"chart-title\" x=\"%d\" y=\"22\">%s</text>%n",
            LEFT,
            esc(title)));
    b.append("<g class=\"legend\">\n");
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      double x = legendAt.get(i)[0];
      double y = legendAt.get(i)[1];
      String swatch =
          s.style == Style.AREA
              ? String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"%s\""
                      + " fill-opacity=\"0.75\"/>",
                  x,
                  y + 1,
                  s.color)
              : String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                      + " stroke-width=\"2.5\"%s/>",
                  x,
                  x + 18,
                  y + 6,
                  y + 6,
                  s.color,
                  dashed(s.style) ? " stroke-dasharray=\"5 3\"" : "");
      b.append(
          String.format(
              Locale.ROOT,
              "<g class=\"legend-item\">%s<text x=\"%.1f\" y=\"%.1f\">%s</text></g>%n",
              swatch,
              x + 24,
              y + 10,
              esc(s.name)));
    }
    b.append("</g>\n</svg>\n");
    return b.toString();
  }

  private static boolean dashed(Style s) {
    return s == Style.DASHED || s == Style.STEP_DASHED;
  }

  private static String path(
      Series s,
      java.util.function.DoubleUnaryOperator sx,
      java.util.function.DoubleUnaryOperator sy) {
    StringBuilder d = new StringBuilder();
    Point prev = null;
    for (Point p : s.points) {
      double x = sx.applyAsDouble(p.x);
      double y = sy.applyAsDouble(p.y);
      if (prev == null) {
        d.append(String.format(Locale.ROOT, "M%.1f %.1f", x, y));
      } else if (s.style == Style.STEP || s.style == Style.STEP_DASHED) {
        d.append(String.format(Locale.ROOT, " H%.1f V%.1f", x, y));
      } else {
        d.append(String.format(Locale.ROOT, " L%.1f %.1f", x, y));
      }
      prev = p;
    }
    if (s.style == Style.AREA) {
      return String.format(
          Locale.ROOT,
          "<path d=\"%s Z\" fill=\"%s\" fill-opacity=\"0.75\" stroke=\"none\"/>%n",
          d,
          s.color);
    }
    return String.format(
        Locale.ROOT,
        "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"%s/>%n",
        d,
        s.color,
        dashed(s.style) ? " stroke-dasharray=\"6 4\"" : "");
  }

  /** Ticks at 1, 2 or 5 × 10^k covering [lo, hi] with about {@code count} steps. */
  static double[] niceTicks(double lo, double hi, int count) {
    double span = hi - lo;
    double raw = span / count;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] ticks = new double[n];
    for (int i = 0; i < n; i++) {
      ticks[i] = first + i * step;
    }
    return ticks;
  }

  static String number(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
    }
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Settings of a chart. */
  static final class Builder {
    private String title = "";
    private String xLabel = "time since start";
    private String yLabel = "";
    private int height = 300;
    private Double yMax;
    private final List<Series> series = new ArrayList<>();

    Builder title(String title) {
      this.title = title;
      return this;
    }

    Builder xLabel(String xLabel) {
      this.xLabel = xLabel;
      return this;
    }

    Builder yLabel(String yLabel) {
      this.yLabel = yLabel;
      return this;
    }

    Builder height(int height) {
      this.height = height;
      return this;
    }

    /**
     * Fixes the top of the y axis (e.g. 100 for percentages). Default is the data's nice maximum.
     */
    Builder yMax(double yMax) {
      this.yMax = yMax;
      return this;
    }

    Builder line(String name, String color, List<Point> points, Style style) {
      series.add(new Series(name, color, List.copyOf(points), style));
      return this;
    }

    /**
     * A filled band between {@code lower} and {@code upper} (same x values), for stacked shares.
     */
    Builder band(String name, String color, List<Point> lower, List<Point> upper) {
      List<Point> outline = new ArrayList<>(upper);
      for (int i = lower.size() - 1; i >= 0; i--) {
        outline.add(lower.get(i));
      }
      series.add(new Series(name, color, outline, Style.AREA));
      return this;
    }

    SvgChart build() {
      return new SvgChart(this);
    }
  }
}
