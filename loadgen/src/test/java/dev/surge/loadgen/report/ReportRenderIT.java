package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders a report of a real run in headless Chromium (Debian's {@code chromium}) to a PNG. */
class ReportRenderIT {
  @TempDir Path dir;

  @Test
  void rendersInHeadlessChromiumToANonEmptyScreenshot() throws Exception {
    Path result = ReportFixtures.realResult(dir);
    Path html = dir.resolve("report.html");
    Files.writeString(
        html,
        HtmlReport.render(new ObjectMapper().readTree(result.toFile()), "result.json"),
        StandardCharsets.UTF_8);
    Path png = dir.resolve("report.png");
    Process p = screenshot(html, png, dir.resolve("profile"));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 120 s");
    }
    String log = Files.readString(dir.resolve("chromium.log"));
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(png).isNotEmptyFile();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    // not a blank page: the charts put many distinct colours on it
    assertThat(distinctColours(image)).isGreaterThan(20);
  }

  static Process screenshot(Path html, Path png, Path profile) throws IOException {
    List<String> cmd =
        List.of(
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--screenshot=" + png,
            "--window-size=1280,2000",
            html.toUri().toString());
    try {
      return new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(png.resolveSibling("chromium.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IOException(
          "chromium is not installed: run ./bin/install-test-tools or apt-get install -y --no-install-recommends"
              + " chromium ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
