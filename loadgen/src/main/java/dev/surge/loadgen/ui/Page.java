package dev.surge.loadgen.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one page of the live view and the report: {@code page.html} with uPlot (the WebJar {@code
 * org.webjars.npm:uplot}) and the page's own script and style inline, and a data block that says
 * where the run comes from: the live stream ({@code /events}) or a result file embedded in the
 * page. The same script draws both, so the live page and the report show the same series.
 */
public final class Page {
  /** The uPlot version of the WebJar on the classpath (the pom's {@code uplot.version}). */
  static final String UPLOT_VERSION = "1.6.30";

  static final String UPLOT_JS =
      "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.iife.min.js";
  static final String UPLOT_CSS =
      "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.min.css";

  private Page() {}

  /** The live page: it connects to {@code /events} on the server that serves it. */
  static String live() {
    return render("{\"mode\":\"live\",\"stream\":\"events\"}");
  }

  /**
   * The report: the page with {@code resultJson} (a loadgen result) embedded, self-contained.
   *
   * @param resultJson the result file's JSON text
   * @param source where it came from, shown in the header
   */
  public static String report(String resultJson, String source) {
    return render(
        "{\"mode\":\"report\",\"source\":"
            + jsonString(source)
            + ",\"result\":"
            + resultJson
            + "}");
  }

  private static String render(String data) {
    String html = resource("/dev/surge/loadgen/ui/page.html");
    // The data goes into a <script type="application/json">: only "</" could end it early.
    String safeData = data.replace("</", "<\\/");
    return html.replace("/*UPLOT_CSS*/", resource(UPLOT_CSS))
        .replace("/*PAGE_CSS*/", resource("/dev/surge/loadgen/ui/page.css"))
        .replace("/*UPLOT_JS*/", resource(UPLOT_JS).replace("</script", "<\\/script"))
        .replace("/*PAGE_JS*/", resource("/dev/surge/loadgen/ui/page.js"))
        .replace("/*DATA*/", safeData);
  }

  static String resource(String name) {
    try (InputStream in = Page.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath (a broken build)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
