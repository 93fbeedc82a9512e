package dev.surge.testkit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium for the tests: Debian's {@code chromium}, driven through Debian's {@code
 * chromedriver} by Selenium (nothing downloads a browser or a driver), always with a fresh profile
 * and the flags that keep it from phoning home. A missing browser or driver fails the test naming
 * {@code ./bin/install-test-tools}.
 *
 * <pre>{@code
 * try (Chromium browser = Chromium.start(dir)) {
 *   browser.open("http://127.0.0.1:" + port + "/");
 *   Object peak = browser.eval("return window.surgeUi.state.timeline.length");
 *   assertThat(browser.consoleErrors()).isEmpty();
 * }
 * int exit = Chromium.screenshot(html, png); // a file to a PNG, no driver
 * }</pre>
 *
 * <p>One instance per thread: a session is not thread-safe.
 */
public final class Chromium implements AutoCloseable {
  /** The flags every start uses (besides a fresh {@code --user-data-dir}). */
  public static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-dev-shm-usage");

  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private Chromium(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /**
   * Starts a browser with its profile in a new directory under {@code workDir}, 1280 x 2400.
   *
   * @throws AssertionError naming {@code ./bin/install-test-tools} when chromium or chromedriver is
   *     missing
   */
  public static Chromium start(Path workDir) throws IOException {
    Path chromium = Tools.require("chromium", "chromium");
    Path chromedriver = Tools.require("chromedriver", "chromium-driver");
    Files.createDirectories(workDir);
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile, "--window-size=1280,2400");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .withLogFile(workDir.resolve(profile.getFileName() + "-chromedriver.log").toFile())
            .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(2));
      return new Chromium(service, driver);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  /** The Selenium driver, for what this class does not wrap. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Loads {@code url} (waits for the load event). */
  public void open(String url) {
    driver.get(url);
  }

  /**
   * Runs {@code script} (a function body: {@code return ...}) in the page and returns its value.
   */
  public Object eval(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /**
   * The console messages at level SEVERE since the last call: errors logged and exceptions thrown
   * by the page's scripts.
   */
  public List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /** The visible window as a PNG. */
  public void screenshot(Path png) throws IOException {
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  /** Quits the browser and its driver. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }

  /**
   * Renders {@code html} at 1280 px wide into {@code png} with {@code chromium --screenshot} (no
   * driver; the log goes beside the PNG); returns Chromium's exit code.
   */
  public static int screenshot(Path html, Path png) throws IOException, InterruptedException {
    String chromium = Tools.require("chromium", "chromium").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium);
    cmd.addAll(FLAGS);
    cmd.add(
        "--user-data-dir="
            + Files.createTempDirectory(png.toAbsolutePath().getParent(), "chromium-profile-"));
    cmd.add("--screenshot=" + png);
    cmd.add("--window-size=1280,2400");
    // The page draws with a script: give it time to run before the picture is taken.
    cmd.add("--virtual-time-budget=5000");
    cmd.add(html.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(png.resolveSibling(png.getFileName() + ".chromium.log").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s");
    }
    return p.exitValue();
  }

  /** How many pixels have exactly this RGB colour. */
  public static int pixelsOf(BufferedImage image, int rgb) {
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
