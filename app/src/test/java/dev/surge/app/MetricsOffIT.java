package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.metrics.Exposition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics=false} (the overhead benchmark's baseline) serves the same app without request
 * instrumentation.
 */
class MetricsOffIT {
  @Test
  void servesRequestsButRecordsNoRequestMetrics() {
    try (SurgeApp app =
        SurgeApp.start(
            AppConfig.parse(
                List.of(
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--metrics=false",
                    "--drain-delay",
                    "0ms"),
                Map.of()))) {
      TestHttp http = new TestHttp(app.port());
      for (int i = 0; i < 5; i++) {
        assertThat(http.get("/api/work?cpuMillis=1").statusCode()).isEqualTo(200);
      }
      assertThat(http.get("/nope").statusCode()).isEqualTo(404);
      Exposition e = Exposition.parse(new TestHttp(app.metricsPort()).get("/metrics").body());
      assertThat(e.samples("surge_http_requests_total")).isEmpty();
      assertThat(e.value("surge_work_units_total")).isZero();
      assertThat(e.value("surge_http_requests_in_flight")).isZero();
      // The state gauges and JVM metrics are still there: only the per-request work is switched
      // off.
      assertThat(e.value("surge_ready")).isEqualTo(1.0);
      assertThat(e.samples("jvm_threads_current")).isNotEmpty();
    }
  }
}
