package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.testkit.AppProcess;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, defect 3: a Prometheus that ingests native histograms (Debian's 2.42 with {@code
 * --enable-feature=native-histograms}, which is how Prometheus 3 with native ingestion on treats a
 * histogram) must still see the classic {@code _bucket} series of the request-duration histogram,
 * which the SLI, the p95 rule and the latency alerts read. A histogram that also exposes the native
 * form loses its buckets there (this test failed before the histogram became classic-only).
 */
class NativeHistogramScrapeIT {
  private static final Pattern LISTENING =
      Pattern.compile("msg=\"Listening on\" address=\\S+:(\\d+)");

  @Test
  void nativeIngestingPrometheusKeepsTheClassicBuckets() throws Exception {
    Path prometheus = Tools.require("prometheus", "prometheus");
    Path dir = Files.createTempDirectory("surge-native-histograms");
    try (AppProcess app = AppProcess.builder().addArgs("--drain-delay", "0ms").start()) {
      TestHttp http = new TestHttp(app.port());
      for (int i = 0; i < 20; i++) {
        assertThat(http.get("/api/work?cpuMillis=0").statusCode()).isEqualTo(200);
      }
      Files.writeString(
          dir.resolve("prometheus.yml"),
          "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
              + "scrape_configs:\n"
              + "  - job_name: surge-app\n"
              + "    static_configs: [{targets: ['127.0.0.1:"
              + app.metricsPort()
              + "']}]\n");
      Path log = dir.resolve("prometheus.log");
      Process p =
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:0",
                  "--enable-feature=native-histograms")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        int[] port = new int[1];
        Awaitility.await("Prometheus listening")
            .atMost(60, TimeUnit.SECONDS)
            .pollInterval(100, TimeUnit.MILLISECONDS)
            .until(
                () -> {
                  assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                  Matcher m = LISTENING.matcher(Files.readString(log));
                  if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                  }
                  return port[0] > 0;
                });
        TestHttp api = new TestHttp(port[0]);
        // The scrape happened (the counter is there), so an absent bucket is the defect, not a
        // scrape that has not run yet.
        Awaitility.await("the app scraped")
            .atMost(60, TimeUnit.SECONDS)
            .pollInterval(500, TimeUnit.MILLISECONDS)
            .until(() -> query(api, "count(surge_http_requests_total)").contains("\"value\""));
        Awaitility.await("classic buckets of the request-duration histogram")
            .atMost(30, TimeUnit.SECONDS)
            .pollInterval(500, TimeUnit.MILLISECONDS)
            .untilAsserted(
                () ->
                    assertThat(
                            query(
                                api,
                                "surge_http_request_duration_seconds_bucket{route=\"/api/work\","
                                    + "status=\"2xx\",le=\"0.1\"}"))
                        .as("the SLO bucket le=0.1 of /api/work 2xx")
                        .contains("\"le\":\"0.1\""));
        // Every bucket the rules and dashboards use is there (client_java writes le as a float, so
        // 1 is
        // "1.0"), and nothing native was ingested.
        String buckets =
            query(
                api,
                "count by (le) (surge_http_request_duration_seconds_bucket{route=\"/api/work\"})");
        for (String le :
            List.of(
                "0.005", "0.01", "0.025", "0.05", "0.1", "0.2", "0.25", "0.5", "1.0", "2.5", "5.0",
                "10.0", "+Inf")) {
          assertThat(buckets).as("bucket le=" + le).contains("\"le\":\"" + le + "\"");
        }
        assertThat(query(api, "histogram_count(surge_http_request_duration_seconds)"))
            .as("no native histogram series")
            .contains("\"result\":[]");
      } finally {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(NativeHistogramScrapeIT::delete);
      }
    }
  }

  private static String query(TestHttp api, String promql) {
    return api.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .body();
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A temporary directory; what is left is the OS's to clean.
    }
  }
}
