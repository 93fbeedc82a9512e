package dev.surge.lab;

import dev.surge.testkit.Tools;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium (Debian's {@code chromium}) for the ITs: an HTML file to a PNG. */
final class Chromium {
  private Chromium() {}

  /** Renders {@code html} at 1280 px wide into {@code png}; returns Chromium's exit code. */
  static int screenshot(Path html, Path png) throws IOException, InterruptedException {
    String chromium = Tools.require("chromium", "chromium").toString();
    List<String> cmd =
        List.of(
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + png.resolveSibling("chromium-profile"),
            "--screenshot=" + png,
            "--window-size=1280,2400",
            html.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(png.resolveSibling("chromium.log").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s");
    }
    return p.exitValue();
  }

  /** How many pixels have exactly this RGB colour. */
  static int pixelsOf(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
