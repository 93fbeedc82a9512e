package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.app.metrics.Exposition;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link SurgeApp#close()} in this JVM drains the way SIGTERM does: the API the in-process demo
 * relies on.
 */
class DrainIT {
  @Test
  void closeTurnsReadinessOffKeepsServingWithConnectionCloseThenStops() throws Exception {
    SurgeApp app =
        SurgeApp.start(
            AppConfig.parse(
                List.of(
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--drain-delay",
                    "3s"),
                Map.of()));
    TestHttp http = new TestHttp(app.port());
    TestHttp metrics = new TestHttp(app.metricsPort());
    assertThat(app.state()).isEqualTo(Lifecycle.State.READY);
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> before = http.get("/api/work");
    assertThat(before.headers().firstValue("Connection")).isEmpty();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
    await().atMost(Duration.ofSeconds(2)).until(() -> http.get("/readyz").statusCode() == 503);
    assertThat(app.state()).isEqualTo(Lifecycle.State.DRAINING);
    HttpResponse<String> during = http.get("/api/work");
    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(during.headers().firstValue("Connection")).hasValue("close");
    assertThat(http.get("/readyz").body())
        .isEqualTo("{\"error\":\"not ready\",\"detail\":\"the app is draining\"}");
    assertThat(Exposition.parse(metrics.get("/metrics").body()).value("surge_ready")).isZero();

    closing.get();
    assertThat(app.state()).isEqualTo(Lifecycle.State.STOPPED);
    assertThatThrownBy(() -> new TestHttp(app.port()).get("/healthz"))
        .isInstanceOf(UncheckedIOException.class);
    app.close(); // a second close returns at once
  }
}
