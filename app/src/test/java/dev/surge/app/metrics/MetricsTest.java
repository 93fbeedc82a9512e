package dev.surge.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicReference<Double> millicores = new AtomicReference<>(0.0);
  private final AtomicReference<Double> inFlight = new AtomicReference<>(0.0);
  private final Metrics metrics =
      new Metrics(
          registry,
          "9.9.9",
          new Metrics.State(
              millicores::get, () -> 1024, () -> 0.25, () -> 0.2, () -> 1, inFlight::get));

  private Exposition scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return Exposition.parse(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void registersEveryContractMetricWithItsType() throws Exception {
    metrics.requests(List.of("/api/work", "unmatched")).get(0, 0, 200).observeNanos(10_000_000);
    metrics.workDone(1_000_000);
    Exposition e = scrape();
    assertThat(e.type("surge_http_requests_total")).isEqualTo("counter");
    assertThat(e.type("surge_http_request_duration_seconds")).isEqualTo("histogram");
    assertThat(e.type("surge_http_requests_in_flight")).isEqualTo("gauge");
    assertThat(e.type("surge_work_units_total")).isEqualTo("counter");
    assertThat(e.type("surge_work_cpu_seconds")).isEqualTo("summary");
    assertThat(e.help("surge_work_cpu_seconds")).contains("cannot be aggregated across pods");
    for (String gauge :
        List.of(
            "surge_burn_cpu_millicores",
            "surge_burn_memory_bytes",
            "surge_fault_error_ratio",
            "surge_fault_added_latency_seconds",
            "surge_ready",
            "surge_app_info")) {
      assertThat(e.type(gauge)).as(gauge).isEqualTo("gauge");
    }
    assertThat(e.value("surge_app_info", "version", "9.9.9")).isEqualTo(1.0);
  }

  @Test
  void statGaugesReadTheStateAtScrapeTime() throws Exception {
    millicores.set(1500.0);
    Exposition e = scrape();
    assertThat(e.value("surge_burn_cpu_millicores")).isEqualTo(1500.0);
    assertThat(e.value("surge_burn_memory_bytes")).isEqualTo(1024.0);
    assertThat(e.value("surge_fault_error_ratio")).isEqualTo(0.25);
    assertThat(e.value("surge_fault_added_latency_seconds")).isEqualTo(0.2);
    assertThat(e.value("surge_ready")).isEqualTo(1.0);
    millicores.set(0.0);
    assertThat(scrape().value("surge_burn_cpu_millicores")).isEqualTo(0.0);
  }

  @Test
  void requestDataPointsAreCachedAndLabelledByMethodRouteAndStatus() throws Exception {
    Metrics.Requests requests = metrics.requests(List.of("/", "/delay/{millis}", "unmatched"));
    assertThat(requests.get(1, 0, 200)).isSameAs(requests.get(1, 0, 200));
    requests.get(1, 0, 200).observeNanos(150_000_000);
    requests.get(1, 0, 200).observeNanos(300_000_000);
    requests.get(2, 7, 404).observeNanos(1_000_000);
    Exposition e = scrape();
    assertThat(
            e.value(
                "surge_http_requests_total",
                "method",
                "GET",
                "route",
                "/delay/{millis}",
                "status",
                "200"))
        .isEqualTo(2.0);
    String[] delay = {"route", "/delay/{millis}", "status", "2xx"};
    assertThat(e.value("surge_http_request_duration_seconds_count", delay)).isEqualTo(2.0);
    assertThat(e.value("surge_http_request_duration_seconds_sum", delay))
        .isEqualTo(0.45, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(e.value("surge_http_request_duration_seconds_bucket", append(delay, "le", "0.1")))
        .isEqualTo(0.0);
    assertThat(e.value("surge_http_request_duration_seconds_bucket", append(delay, "le", "0.2")))
        .isEqualTo(1.0);
    assertThat(e.value("surge_http_request_duration_seconds_bucket", append(delay, "le", "0.5")))
        .isEqualTo(2.0);
    assertThat(
            e.samples("surge_http_request_duration_seconds_count").stream()
                .map(s -> s.labels().keySet()))
        .allSatisfy(keys -> assertThat(keys).containsExactly("route", "status"));
    assertThat(
            e.value(
                "surge_http_requests_total",
                "method",
                "OTHER",
                "route",
                "unmatched",
                "status",
                "404"))
        .isEqualTo(1.0);
  }

  @Test
  void foldsStatusesThatAreNotKeptIntoTheirClassSoFiveDotDotStillMatches() throws Exception {
    Metrics.Requests requests = metrics.requests(List.of("/status/{code}", "unmatched"));
    for (int status = 100; status <= 599; status++) {
      requests.get(0, 0, status).observeNanos(1_000_000);
    }
    Exposition e = scrape();
    List<String> statuses =
        e.samples("surge_http_requests_total").stream().map(s -> s.label("status")).toList();
    assertThat(statuses).containsExactlyInAnyOrderElementsOf(StatusLabel.VALUES);
    double serverErrors =
        e.samples("surge_http_requests_total").stream()
            .filter(s -> s.label("status").matches("5.."))
            .mapToDouble(Exposition.Sample::value)
            .sum();
    assertThat(serverErrors).isEqualTo(100.0);
    assertThat(e.value("surge_http_requests_total", "status", "5xx")).isEqualTo(96.0);
    assertThat(e.value("surge_http_requests_total", "status", "503")).isEqualTo(1.0);
    assertThat(
            e.value(
                "surge_http_request_duration_seconds_count",
                "route",
                "/status/{code}",
                "status",
                "5xx"))
        .isEqualTo(100.0);
  }

  @Test
  void foldsLabelSetsBeyondTheBudgetIntoOtherAndTheStatusClassOfTheSameRoute() throws Exception {
    List<String> routes =
        java.util.stream.Stream.concat(
                java.util.stream.IntStream.range(0, 9).mapToObj(i -> "/r" + i),
                java.util.stream.Stream.of("unmatched"))
            .toList();
    Metrics.Requests requests = metrics.requests(routes);
    int budget = requests.maxExactSets();
    // Exhaust the budget with exact label sets, then one more must be folded.
    int used = 0;
    outer:
    for (int route = 0; route < routes.size(); route++) {
      for (int method = 0; method < Metrics.OTHER_METHOD; method++) {
        for (String value : StatusLabel.VALUES) {
          if (used == budget) {
            break outer;
          }
          if (!StatusLabel.isClass(StatusLabel.VALUES.indexOf(value))) {
            requests.get(route, method, Integer.parseInt(value)).observeNanos(1_000_000);
            used++;
          }
        }
      }
    }
    assertThat(used).isEqualTo(budget);
    requests
        .get(9, 2, 503)
        .observeNanos(1_000_000); // POST unmatched 503: a new label set, over budget
    Exposition e = scrape();
    assertThat(e.samples("surge_http_requests_total")).hasSize(budget + 1);
    assertThat(
            e.value(
                "surge_http_requests_total",
                "method",
                "OTHER",
                "route",
                "unmatched",
                "status",
                "5xx"))
        .isEqualTo(1.0);
    assertThat(
            e.value(
                "surge_http_requests_total",
                "method",
                "POST",
                "route",
                "unmatched",
                "status",
                "503"))
        .isNaN();
  }

  @Test
  void theWorstCaseExpositionStaysUnderTheCeiling() throws Exception {
    List<String> routes =
        List.of(
            "/",
            "/api/work",
            "/delay/{millis}",
            "/status/{code}",
            "/admin/faults",
            "/admin/cpu",
            "/admin/memory",
            "/healthz",
            "/readyz",
            "unmatched");
    Metrics.Requests requests = metrics.requests(routes);
    for (int route = 0; route < routes.size(); route++) {
      for (int method = 0; method < Metrics.METHODS.size(); method++) {
        for (int status = 100; status <= 599; status++) {
          requests.get(route, method, status).observeNanos(1_000_000);
        }
      }
    }
    metrics.workDone(1_000_000);
    for (Metrics.AdminAuthOutcome o : Metrics.AdminAuthOutcome.values()) {
      metrics.adminAuth(o);
    }
    Exposition e = scrape();
    assertThat(e.samples()).hasSizeLessThanOrEqualTo(Metrics.SERIES_CEILING);
    long others =
        e.samples().stream().filter(s -> !s.name().startsWith("surge_http_request")).count();
    assertThat(others).isLessThanOrEqualTo(Metrics.OTHER_SERIES);
  }

  @Test
  void refusesMoreRoutesThanTheCeilingHasRoomFor() {
    List<String> many = java.util.stream.IntStream.range(0, 13).mapToObj(i -> "/r" + i).toList();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.requests(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("13 routes leave no room under the ceiling of 1000 series");
  }

  @Test
  void countsAdminAuthOutcomesFromZero() throws Exception {
    metrics.adminAuth(Metrics.AdminAuthOutcome.WRONG);
    Exposition e = scrape();
    assertThat(e.value("surge_admin_auth_total", "outcome", "allowed")).isEqualTo(0.0);
    assertThat(e.value("surge_admin_auth_total", "outcome", "missing")).isEqualTo(0.0);
    assertThat(e.value("surge_admin_auth_total", "outcome", "wrong")).isEqualTo(1.0);
  }

  @Test
  void histogramHasTheContractBuckets() throws Exception {
    metrics.requests(List.of("/")).get(0, 0, 200).observeNanos(1_000_000);
    List<String> les =
        scrape().samples("surge_http_request_duration_seconds_bucket").stream()
            .map(s -> s.label("le"))
            .toList();
    assertThat(les)
        .containsExactly(
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.2", "0.25", "0.5", "1.0", "2.5", "5.0",
            "10.0", "+Inf");
  }

  @Test
  void exposesTheInFlightCountItIsGivenAtScrapeTime() throws Exception {
    inFlight.set(2.0);
    assertThat(scrape().value("surge_http_requests_in_flight")).isEqualTo(2.0);
    inFlight.set(0.0);
    assertThat(scrape().value("surge_http_requests_in_flight")).isEqualTo(0.0);
  }

  @Test
  void workCountsUnitsAndObservesCpuSeconds() throws Exception {
    metrics.workDone(20_000_000);
    metrics.workDone(40_000_000);
    Exposition e = scrape();
    assertThat(e.value("surge_work_units_total")).isEqualTo(2.0);
    assertThat(e.value("surge_work_cpu_seconds_count")).isEqualTo(2.0);
    assertThat(e.value("surge_work_cpu_seconds_sum"))
        .isEqualTo(0.06, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(e.samples("surge_work_cpu_seconds").stream().map(s -> s.label("quantile")))
        .containsExactly("0.5", "0.9", "0.95", "0.99");
  }

  private static String[] append(String[] labels, String... more) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }

  /**
   * surge_work_units_total is the work summary's count, exposed as the client_java Counter it
   * replaced exposed itself: the same text in both formats, _created aside.
   */
  @Test
  void workUnitsExposeWhatClientJavasCounterExposed() throws Exception {
    PrometheusRegistry before = new PrometheusRegistry();
    io.prometheus.metrics.core.metrics.Counter counter =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("surge_work_units_total")
            .help(Metrics.WORK_UNITS_HELP)
            .withoutExemplars()
            .register(before);
    WindowedSummary summary =
        new WindowedSummary("unused", "unused", List.of(0.5), java.time.Duration.ofMinutes(2), 5);
    PrometheusRegistry after = new PrometheusRegistry();
    after.register(new Metrics.WorkUnits(Metrics.WORK_UNITS_HELP, summary, 1_700_000_000_000L));
    assertThat(text(after)).isEqualTo(text(before)).contains("surge_work_units_total 0.0");
    for (int i = 0; i < 3; i++) {
      counter.inc();
      summary.observeNanos(1_000_000);
    }
    assertThat(text(after)).isEqualTo(text(before)).contains("surge_work_units_total 3.0");
  }

  private static String text(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.builder()
        .setIncludeCreatedTimestamps(true)
        .build()
        .write(out, registry.scrape());
    io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter.builder()
        .setCreatedTimestampsEnabled(true)
        .build()
        .write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8).replaceAll("(?m)(_created) \\S+$", "$1 T");
  }
}
