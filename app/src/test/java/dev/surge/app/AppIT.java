package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.metrics.Exposition;
import dev.surge.common.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real app on port 0 (both ports), in this JVM: every endpoint, the error bodies and the
 * metrics.
 */
class AppIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CONTRACT_ROUTES =
      Set.of(
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
  private static SurgeApp app;
  private static TestHttp http;
  private static TestHttp metricsHttp;

  @BeforeAll
  static void start() {
    app =
        SurgeApp.start(
            AppConfig.parse(
                List.of(
                    "--host", "127.0.0.1",
                    "--port", "0",
                    "--metrics-port", "0",
                    "--instance", "it-1",
                    "--max-body-bytes", "1024",
                    "--max-delay-millis", "5000",
                    "--drain-delay", "0ms",
                    "--shutdown-timeout", "5s"),
                Map.of()));
    http = new TestHttp(app.port());
    metricsHttp = new TestHttp(app.metricsPort());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @AfterEach
  void resetFaultsAndBurns() {
    http.send("PUT", "/admin/faults", "{\"errorRate\":0,\"addedLatencyMillis\":0,\"ready\":true}");
    http.send("DELETE", "/admin/cpu", null);
    http.send("DELETE", "/admin/memory", null);
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String error, String detail)
      throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("detail").asText()).isEqualTo(detail);
    assertThat(r.body()).doesNotContain("\tat ", "Exception");
  }

  static Exposition scrape() {
    HttpResponse<String> r = metricsHttp.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return Exposition.parse(r.body());
  }

  @Test
  void rootNamesTheAppAndTheInstance() throws Exception {
    HttpResponse<String> r = http.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("name").asText()).isEqualTo("surge");
    assertThat(body.get("version").asText()).isEqualTo(Version.get());
    assertThat(body.get("instance").asText()).isEqualTo("it-1");
    assertThat(body.get("uptimeSeconds").asDouble()).isPositive();
  }

  @ParameterizedTest
  @CsvSource({
    "GET,/",
    "GET,/api/work",
    "GET,/nope",
    "POST,/healthz",
    "GET,/status/503",
    "GET,/readyz"
  })
  void everyResponseNamesTheInstance(String method, String path) {
    assertThat(http.send(method, path, null).headers().firstValue("X-Surge-Instance"))
        .hasValue("it-1");
  }

  @Test
  void workBurnsTheAskedCpuTime() throws Exception {
    HttpResponse<String> r = http.get("/api/work?cpuMillis=25");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("cpuMillis").asLong()).isEqualTo(25);
    assertThat(body.get("cpuMillisUsed").asDouble()).isGreaterThanOrEqualTo(25.0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/work?cpuMillis=abc|cpuMillis must be an integer from 0 to 1000, got 'abc'",
        "/api/work?cpuMillis=1001|cpuMillis must be an integer from 0 to 1000, got '1001'",
        "/api/work?cpuMillis=-1|cpuMillis must be an integer from 0 to 1000, got '-1'",
        "/delay/5001|millis must be an integer from 0 to 5000, got '5001'",
        "/delay/soon|millis must be an integer from 0 to 5000, got 'soon'",
        "/status/600|code must be an integer from 100 to 599, got '600'",
        "/status/99|code must be an integer from 100 to 599, got '99'",
      })
  void refusesBadParametersWith400NamingThem(String path, String detail) throws Exception {
    assertError(http.get(path), 400, "bad parameter", detail);
  }

  @Test
  void delayAnswersAfterTheDelay() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = http.get("/delay/300");
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    assertThat(json(r).get("delayMillis").asLong()).isEqualTo(300);
  }

  @Test
  void delayHoldsNoThreadWhileWaiting() {
    int requests = 300; // more than Jetty's default 200 threads
    // As long as this app allows (--max-delay-millis 5000), so that all of them are in flight
    // together even when
    // opening 300 connections is slow on a busy machine (with 3 s the first could finish before the
    // last were sent).
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inFlight.add(
          http.client()
              .sendAsync(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(http.base() + "/delay/5000"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> scrape().value("surge_http_requests_in_flight") >= requests);
    long httpThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("surge-http"))
            .count();
    // Far fewer threads than requests in flight (the pool grows briefly while 300 connections are
    // accepted, so the
    // bound is loose; a thread held per waiting request would need at least 300).
    assertThat(httpThreads).isLessThan(requests / 2);
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      assertThat(f.join().statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @CsvSource({"200", "201", "202", "302", "418", "500", "503", "599"})
  void statusAnswersWithTheAskedStatus(int code) throws Exception {
    HttpResponse<String> r = http.get("/status/" + code);
    assertThat(r.statusCode()).isEqualTo(code);
    if (code >= 400) {
      assertError(r, code, "requested status", "GET /status/" + code + " asked for this status");
    } else {
      assertThat(json(r).get("status").asInt()).isEqualTo(code);
    }
  }

  @Test
  void statusWithoutBodyHasNone() {
    HttpResponse<String> r = http.get("/status/204");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void anInformationalStatusIsSentAsInterimBeforeAFinal200() throws Exception {
    HttpResponse<String> r = http.get("/status/103");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("interimStatus").asInt()).isEqualTo(103);
  }

  @Test
  void unknownRouteIs404() throws Exception {
    assertError(http.get("/no/such/thing"), 404, "not found", "no route for /no/such/thing");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> r = http.send("DELETE", "/api/work", null);
    assertError(r, 405, "method not allowed", "/api/work allows GET, HEAD, not DELETE");
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(http.send("GET", "/admin/cpu", null).headers().firstValue("Allow"))
        .hasValue("DELETE, POST");
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() {
    HttpResponse<String> r = http.send("HEAD", "/healthz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"ready\":true,\"pad\":\"" + "x".repeat(2000) + "\"}";
    assertError(
        http.send("PUT", "/admin/faults", big),
        413,
        "body too large",
        "request body of " + big.length() + " bytes is larger than --max-body-bytes (1024)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"errorRate\":|request body is not valid JSON: Unexpected end-of-input within/between Object entries",
        "[1,2]|request body must be a JSON object",
        "42|request body must be a JSON object",
      })
  void badJsonIs400(String body, String detail) throws Exception {
    assertError(http.send("PUT", "/admin/faults", body), 400, "bad json", detail);
  }

  @Test
  void emptyBodyIs400() throws Exception {
    assertError(
        http.send("POST", "/admin/cpu", null),
        400,
        "bad json",
        "request body is empty; expected a JSON object");
  }

  @Test
  void malformedRequestsGetJettysErrorAsJson() throws Exception {
    String response = raw("GET /api//work HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 ");
    assertThat(response).contains("X-Surge-Instance: it-1", "Content-Type: application/json");
    JsonNode body = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(body.get("error").asText()).isEqualTo("bad request");
    assertThat(body.has("detail")).isTrue();
  }

  private static String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", app.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void faultsAreShownAndChangedPartially() throws Exception {
    JsonNode initial = json(http.get("/admin/faults"));
    assertThat(initial.get("errorRate").asDouble()).isZero();
    assertThat(initial.get("ready").asBoolean()).isTrue();
    JsonNode changed = json(http.send("PUT", "/admin/faults", "{\"addedLatencyMillis\":5}"));
    assertThat(changed.get("addedLatencyMillis").asLong()).isEqualTo(5);
    assertThat(changed.get("errorRate").asDouble()).isZero();
    assertError(
        http.send("PUT", "/admin/faults", "{\"errorRate\":7}"),
        400,
        "bad field",
        "errorRate must be a number from 0 to 1, got 7");
  }

  @Test
  void errorRateFailsApiRequestsOnlyAndProbesStayHonest() throws Exception {
    http.send("PUT", "/admin/faults", "{\"errorRate\":1.0}");
    HttpResponse<String> work = http.get("/api/work");
    assertThat(work.statusCode()).isEqualTo(500);
    assertThat(json(work).get("error").asText()).isEqualTo("injected fault");
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(http.get("/delay/0").statusCode()).isEqualTo(200);
    assertThat(http.get("/").statusCode()).isEqualTo(200);
    Exposition e = scrape();
    assertThat(e.value("surge_fault_error_ratio")).isEqualTo(1.0);
    assertThat(e.value("surge_ready")).isEqualTo(1.0);
  }

  @Test
  void errorRateFailsAboutItsShare() {
    http.send("PUT", "/admin/faults", "{\"errorRate\":0.5}");
    int failed = 0;
    for (int i = 0; i < 400; i++) {
      if (http.get("/api/work").statusCode() == 500) {
        failed++;
      }
    }
    assertThat(failed).isBetween(140, 260);
  }

  @Test
  void addedLatencyDelaysApiResponses() {
    http.send("PUT", "/admin/faults", "{\"addedLatencyMillis\":400}");
    long start = System.nanoTime();
    assertThat(http.get("/api/work?cpuMillis=1").statusCode()).isEqualTo(200);
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
    assertThat(scrape().value("surge_fault_added_latency_seconds")).isEqualTo(0.4);
  }

  @Test
  void readinessForcedOffTurnsReadyzTo503() throws Exception {
    http.send("PUT", "/admin/faults", "{\"ready\":false}");
    assertError(
        http.get("/readyz"),
        503,
        "not ready",
        "readiness is forced off (PUT /admin/faults {\"ready\":true} turns it on)");
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(scrape().value("surge_ready")).isZero();
    http.send("PUT", "/admin/faults", "{\"ready\":true}");
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void cpuBurnShowsInTheGaugeAndCancels() throws Exception {
    JsonNode started =
        json(http.send("POST", "/admin/cpu", "{\"millicores\":300,\"durationSeconds\":30}"));
    assertThat(started.get("millicores").asInt()).isEqualTo(300);
    assertThat(scrape().value("surge_burn_cpu_millicores")).isEqualTo(300.0);
    assertThat(json(http.send("DELETE", "/admin/cpu", null)).get("millicores").asInt()).isZero();
    assertThat(scrape().value("surge_burn_cpu_millicores")).isZero();
  }

  @Test
  void cpuBurnIsCappedAtTheCores() throws Exception {
    int cap = Runtime.getRuntime().availableProcessors() * 1000;
    assertError(
        http.send("POST", "/admin/cpu", "{\"millicores\":" + (cap + 1) + "}"),
        400,
        "bad field",
        "millicores must be an integer from 1 to " + cap + ", got " + (cap + 1));
    assertError(
        http.send("POST", "/admin/cpu", "{\"millicores\":100,\"durationSeconds\":3601}"),
        400,
        "bad field",
        "durationSeconds must be an integer from 1 to 3600, got 3601");
  }

  @Test
  void memoryBurnShowsInTheGaugeAndCancels() throws Exception {
    JsonNode started =
        json(http.send("POST", "/admin/memory", "{\"mebibytes\":8,\"durationSeconds\":30}"));
    assertThat(started.get("mebibytes").asInt()).isEqualTo(8);
    assertThat(scrape().value("surge_burn_memory_bytes")).isEqualTo(8.0 * 1024 * 1024);
    http.send("DELETE", "/admin/memory", null);
    assertThat(scrape().value("surge_burn_memory_bytes")).isZero();
  }

  @Test
  void memoryBurnIsCappedAtHalfTheHeap() throws Exception {
    long cap = Runtime.getRuntime().maxMemory() / 2 / (1024 * 1024);
    assertError(
        http.send("POST", "/admin/memory", "{\"mebibytes\":" + (cap + 1) + "}"),
        400,
        "bad field",
        "mebibytes must be an integer from 1 to " + cap + ", got " + (cap + 1));
  }

  @Test
  void afterTrafficAllFourMetricTypesAppearWithTheirLabelsAndValues() {
    // The app is shared by every test here: compare against the values before this test's traffic.
    Exposition before = scrape();
    String[] status = {"method", "GET", "route", "/status/{code}", "status", "2xx"};
    String[] delay = {"route", "/delay/{millis}", "status", "2xx"};
    double statusBefore = orZero(before.value("surge_http_requests_total", status));
    double delayCountBefore =
        orZero(before.value("surge_http_request_duration_seconds_count", delay));
    double delayFastBefore =
        orZero(
            before.value(
                "surge_http_request_duration_seconds_bucket", append(delay, "le", "0.25")));
    double delaySumBefore = orZero(before.value("surge_http_request_duration_seconds_sum", delay));
    double workSumBefore = orZero(before.value("surge_work_cpu_seconds_sum"));
    for (int i = 0; i < 7; i++) {
      assertThat(http.get("/status/207").statusCode()).isEqualTo(207);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/delay/300").statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(http.get("/api/work?cpuMillis=2").statusCode()).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Exposition e = scrape();
              assertThat(e.type("surge_http_requests_total")).isEqualTo("counter");
              // 207 is not one of the kept codes: it is counted in its class.
              assertThat(e.value("surge_http_requests_total", status) - statusBefore)
                  .isEqualTo(7.0);
              assertThat(e.type("surge_http_request_duration_seconds")).isEqualTo("histogram");
              assertThat(
                      e.value("surge_http_request_duration_seconds_count", delay)
                          - delayCountBefore)
                  .isEqualTo(3.0);
              // A 300 ms delay can never land at or under 0.25 s, and the three add up to 0.9 s.
              assertThat(
                      e.value(
                              "surge_http_request_duration_seconds_bucket",
                              append(delay, "le", "0.25"))
                          - delayFastBefore)
                  .isZero();
              assertThat(e.value("surge_http_request_duration_seconds_sum", delay) - delaySumBefore)
                  .isGreaterThanOrEqualTo(0.9);
              assertThat(e.type("surge_http_requests_in_flight")).isEqualTo("gauge");
              // The scrape runs on the metrics port, so no app request is in flight now.
              assertThat(e.value("surge_http_requests_in_flight")).isZero();
              assertThat(e.type("surge_work_cpu_seconds")).isEqualTo("summary");
              // Each of the five burned at least 2 ms of thread CPU time.
              assertThat(e.value("surge_work_cpu_seconds_sum") - workSumBefore)
                  .isGreaterThanOrEqualTo(0.010);
              double p50 = e.value("surge_work_cpu_seconds", "quantile", "0.5");
              double p99 = e.value("surge_work_cpu_seconds", "quantile", "0.99");
              // Quantiles of one window are ordered; the 2 ms burns put the top one above zero.
              assertThat(p99).isPositive().isGreaterThanOrEqualTo(p50);
              assertThat(e.value("surge_work_units_total")).isGreaterThanOrEqualTo(5.0);
              assertThat(e.value("surge_app_info", "version", Version.get())).isEqualTo(1.0);
              assertThat(e.samples("jvm_memory_used_bytes")).isNotEmpty();
              assertThat(e.samples("process_cpu_seconds_total")).isNotEmpty();
            });
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0.0 : value;
  }

  private static String[] append(String[] labels, String... more) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }

  @Test
  void promtoolAcceptsTheRealMetrics() throws Exception {
    http.get("/api/work?cpuMillis=1");
    http.get("/nope");
    String text = metricsHttp.get("/metrics").body();
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(
          "promtool is not installed: run ./bin/install-test-tools (Debian package 'prometheus')",
          e);
      return;
    }
    try (OutputStream in = promtool.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
    assertThat(output).as("promtool lint findings").isBlank();
  }

  @Test
  void seriesStayTheSameAfterThousandsOfRandomPathsAndMethods() throws Exception {
    List<String> methods =
        List.of(
            "GET",
            "HEAD",
            "POST",
            "PUT",
            "DELETE",
            "PATCH",
            "OPTIONS",
            "PROPFIND",
            "BREW",
            "X-RAND",
            "LOCK");
    // Warm up: one junk request per method bucket, so every series the loop can produce exists
    // before it runs.
    for (String m :
        List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHERWISE")) {
      http.send(m, "/warm-up", null);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> requestSeries(scrape()).size() > 0);
    Set<String> before = requestSeries(scrape());

    Random random = new Random(1234);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        String method =
            methods.get(random.nextInt(methods.size()))
                + (random.nextInt(4) == 0 ? random.nextInt(99) : "");
        String path =
            "/"
                + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                + "/"
                + random.nextInt(1000);
        String finalMethod = method.replaceAll("[^A-Z0-9-]", "");
        sent.add(
            CompletableFuture.supplyAsync(
                () -> http.send(finalMethod, path, null).statusCode(), pool));
      }
      for (CompletableFuture<Integer> f : sent) {
        assertThat(f.join()).isEqualTo(404);
      }
    } finally {
      pool.shutdownNow();
    }
    Exposition after = scrape();
    assertThat(requestSeries(after)).isEqualTo(before);
    Set<String> routes =
        after.samples("surge_http_requests_total").stream()
            .map(s -> s.label("route"))
            .collect(Collectors.toSet());
    assertThat(CONTRACT_ROUTES).containsAll(routes);
    Set<String> methodLabels =
        after.samples("surge_http_requests_total").stream()
            .map(s -> s.label("method"))
            .collect(Collectors.toSet());
    assertThat(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"))
        .containsAll(methodLabels);
  }

  private static Set<String> requestSeries(Exposition e) {
    return e.samples().stream()
        .filter(s -> s.name().startsWith("surge_http_"))
        .map(s -> s.name() + s.labels())
        .collect(Collectors.toSet());
  }
}
