package dev.surge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeferredJvmMetricsTest {
  private static Exposition scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return Exposition.parse(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aScrapeBeforeStartStillHasTheJvmAndProcessSeries() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DeferredJvmMetrics()); // never started: the scrape starts it and waits
    Exposition e = scrape(registry);
    assertThat(e.samples("jvm_memory_used_bytes")).isNotEmpty();
    assertThat(e.samples("jvm_threads_current")).isNotEmpty();
    assertThat(e.samples("jvm_gc_collection_seconds_count")).isNotEmpty();
    assertThat(e.samples("process_cpu_seconds_total")).isNotEmpty();
  }

  @Test
  void startedTwiceRegistersOnceAndEveryScrapeHasTheSeries() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    DeferredJvmMetrics jvm = new DeferredJvmMetrics();
    registry.register(jvm);
    jvm.start();
    jvm.start();
    Exposition first = scrape(registry);
    Exposition second = scrape(registry);
    assertThat(first.samples("jvm_classes_currently_loaded")).hasSize(1);
    assertThat(second.samples("jvm_classes_currently_loaded")).hasSize(1);
    assertThat(second.samples("process_start_time_seconds")).hasSize(1);
  }
}
