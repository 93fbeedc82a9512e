package dev.surge.loadgen.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibratorTest {
  @Test
  void measuresAboutTheCpuTheAppBurnsPerRequest() throws Exception {
    try (SurgeApp app =
        SurgeApp.start(
            AppConfig.parse(
                List.of("--port", "0", "--metrics-port", "0", "--drain-delay", "0ms"), Map.of()))) {
      CalibrationResult r =
          Calibrator.builder()
              .url(URI.create("http://127.0.0.1:" + app.port() + "/api/work?cpuMillis=20"))
              .metricsUrl(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics"))
              .rate(20)
              .warmupSeconds(1)
              .idleSeconds(1)
              .durationSeconds(3)
              .build()
              .run();
      assertThat(r.errors()).as(r.toString()).isZero();
      assertThat(r.served()).isEqualTo(r.ok()); // the app counted what we sent (warm-up excluded)
      assertThat(r.ok()).isEqualTo(60);
      // 20 ms of thread CPU per request, plus the server's (and, in-process, the client's) overhead
      assertThat(r.cpuPerRequestSeconds()).as(r.toString()).isBetween(0.018, 0.045);
      assertThat(r.p50Millis()).isGreaterThanOrEqualTo(19.0);
    }
  }

  @Test
  void failsNamingTheMetricWhenTheEndpointIsNotTheApps() throws Exception {
    try (SurgeApp app =
        SurgeApp.start(
            AppConfig.parse(
                List.of("--port", "0", "--metrics-port", "0", "--drain-delay", "0ms"), Map.of()))) {
      Calibrator c =
          Calibrator.builder()
              .url(URI.create("http://127.0.0.1:" + app.port() + "/"))
              .metricsUrl(URI.create("http://127.0.0.1:" + app.port() + "/"))
              .durationSeconds(1)
              .build();
      org.assertj.core.api.Assertions.assertThatThrownBy(c::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("process_cpu_seconds_total");
    }
  }

  @Test
  void sumsLabelledSamplesAndSkipsMetricsSharingThePrefix() {
    String text =
        """
        # HELP surge_http_requests_total x
        # TYPE surge_http_requests_total counter
        surge_http_requests_total{method="GET",route="/",status="200"} 3.0
        surge_http_requests_total{method="GET",route="/api/work",status="500"} 2.0 1700000000000
        surge_http_requests_total_created{method="GET"} 1.7E9
        process_cpu_seconds_total 12.5
        """;
    assertThat(MetricsScraper.sum(text, "surge_http_requests_total")).isEqualTo(5.0);
    assertThat(MetricsScraper.sum(text, "process_cpu_seconds_total")).isEqualTo(12.5);
    assertThat(MetricsScraper.sum(text, "absent_metric")).isNaN();
  }
}
