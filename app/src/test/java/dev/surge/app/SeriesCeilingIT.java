package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the whole input space against the real jar — every status 100..599 under every method the
 * router knows and some it does not, every route under every method, with and without the admin
 * token, thousands of random paths and methods, and fault changes — and checks that the app's own
 * series stay at or under {@code Metrics.SERIES_CEILING} and that a second walk adds none.
 *
 * <p>Prints the series counts and the RSS after the walk ({@code docs/BENCHMARKS.md} quotes them).
 * {@code -Dsurge.app.jar=<other jar> -Dsurge.series.baseline=true} walks an older build (one
 * without {@code --admin-token-file}) for the "before" figures; its assertions may then fail.
 */
class SeriesCeilingIT {
  private static final int CEILING = 1000;
  private static final List<String> KNOWN_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final List<String> UNKNOWN_METHODS = List.of("FOO", "BREW", "PROPFIND", "X1");
  private static final List<String> ROUTES =
      List.of(
          "/",
          "/api/work?cpuMillis=1",
          "/api/work?cpuMillis=-1",
          "/api/work?cpuMillis=x",
          "/delay/1",
          "/delay/nope",
          "/delay/99999999",
          "/status/200",
          "/status/abc",
          "/admin/faults",
          "/admin/cpu",
          "/admin/memory",
          "/healthz",
          "/readyz",
          "/no/such/path");
  private static final String BIG_BODY = "{\"x\":\"" + "a".repeat(2048) + "\"}";

  @TempDir Path dir;

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Semaphore inFlight = new Semaphore(16);
  private final List<CompletableFuture<?>> pending = new ArrayList<>();
  private int sent;

  @Test
  void theWholeInputSpaceStaysUnderTheCeilingAndStopsGrowing() throws Exception {
    String token = "ceiling-" + Long.toHexString(new Random().nextLong());
    Path file = Files.writeString(dir.resolve("token"), token);
    List<String> args =
        new ArrayList<>(List.of("--max-body-bytes", "1024", "--max-delay-millis", "50"));
    if (!Boolean.getBoolean("surge.series.baseline")) {
      args.addAll(List.of("--admin-token-file", file.toString()));
    }
    try (AppProcess app =
        AppProcess.builder()
            .jvmOptions(List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50.0", "-XX:+UseSerialGC"))
            .addArgs("--drain-delay", "0ms")
            .addArgs(args.toArray(new String[0]))
            .start()) {
      String base = "http://127.0.0.1:" + app.port();
      String metrics = "http://127.0.0.1:" + app.metricsPort() + "/metrics";
      long start = System.nanoTime();

      walk(base, token, new Random(1));
      Set<String> first = series(metrics, "text/plain");
      long rssKib = app.rssKib();
      int jvm = jvmSeries(metrics);
      walk(base, token, new Random(2));
      Set<String> second = series(metrics, "text/plain");
      Set<String> openMetrics = series(metrics, "application/openmetrics-text; version=1.0.0");

      System.out.printf(
          "SeriesCeilingIT: %d requests in %.1f s; app series %d after one walk, %d after two"
              + " (OpenMetrics %d); jvm_/process_ series %d; RSS after one walk %d KiB%n",
          sent,
          (System.nanoTime() - start) / 1e9,
          first.size(),
          second.size(),
          openMetrics.size(),
          jvm,
          rssKib);
      assertThat(first.size()).isLessThanOrEqualTo(CEILING);
      assertThat(openMetrics.size()).isLessThanOrEqualTo(CEILING);
      assertThat(second).as("a second walk adds no series").isEqualTo(first);
      assertThat(first)
          .as("the SLI still sees exact server errors")
          .anyMatch(
              s ->
                  s.startsWith(
                      "surge_http_requests_total{method=\"GET\",route=\"/status/{code}\",status=\"503\"}"))
          .anyMatch(s -> s.contains("status=\"5xx\""));
      assertThat(String.join("\n", first)).doesNotContain(token);
      assertThat(app.output()).doesNotContain(token);
    }
  }

  /** One pass over the input space; returns when every response has arrived. */
  private void walk(String base, String token, Random random) throws Exception {
    List<String> methods = new ArrayList<>(KNOWN_METHODS);
    methods.addAll(UNKNOWN_METHODS);
    for (int code = 100; code <= 599; code++) {
      for (String method : methods) {
        send(base, method, "/status/" + code, null, null);
      }
    }
    // Every route under every method, with each kind of Authorization and body, once with every
    // /api request failing and readiness off, once with the faults off and added latency.
    for (String setting :
        List.of(
            "{\"errorRate\":1.0,\"addedLatencyMillis\":0,\"ready\":false}",
            "{\"errorRate\":0,\"addedLatencyMillis\":20,\"ready\":true}")) {
      faults(base, token, setting);
      for (String route : ROUTES) {
        for (String method : methods) {
          for (String auth : new String[] {null, "Bearer wrong", "Bearer " + token}) {
            send(base, method, route, body(route, random), auth);
            send(base, method, route, BIG_BODY, auth);
          }
        }
      }
    }
    for (int i = 0; i < 3000; i++) {
      String method =
          random.nextInt(4) == 0
              ? UNKNOWN_METHODS.get(random.nextInt(UNKNOWN_METHODS.size())) + random.nextInt(1000)
              : methods.get(random.nextInt(methods.size()));
      send(base, method, randomPath(random), random.nextBoolean() ? null : "{}", null);
    }
    faults(base, token, "{\"errorRate\":0,\"addedLatencyMillis\":0,\"ready\":true}");
    drain();
    send(base, "DELETE", "/admin/cpu", null, "Bearer " + token);
    send(base, "DELETE", "/admin/memory", null, "Bearer " + token);
    drain();
  }

  private static String body(String route, Random random) {
    if (route.startsWith("/admin/cpu")) {
      return "{\"millicores\":1,\"durationSeconds\":1}";
    }
    if (route.startsWith("/admin/memory")) {
      return "{\"mebibytes\":1,\"durationSeconds\":1}";
    }
    if (route.startsWith("/admin/faults")) {
      return random.nextBoolean() ? "{\"errorRate\":2}" : "not json";
    }
    return null;
  }

  private void faults(String base, String token, String json) throws Exception {
    drain();
    send(base, "PUT", "/admin/faults", json, "Bearer " + token);
    drain();
  }

  private static String randomPath(Random random) {
    String[] prefixes = {"/", "/api/", "/delay/", "/status/", "/admin/", "/x/", "/api/work/"};
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
    StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
    int len = 1 + random.nextInt(40);
    for (int i = 0; i < len; i++) {
      int pick = random.nextInt(20);
      if (pick == 0) {
        b.append('/');
      } else if (pick == 1) {
        b.append('%').append(String.format("%02X", 0x20 + random.nextInt(0x5f)));
      } else {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }

  private void send(String base, String method, String path, String body, String auth)
      throws InterruptedException {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path));
    } catch (IllegalArgumentException e) {
      return; // not a URI the client can send; the server never sees it
    }
    b.timeout(Duration.ofSeconds(30))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    inFlight.acquire();
    sent++;
    pending.add(
        client
            .sendAsync(b.build(), HttpResponse.BodyHandlers.discarding())
            // Any answer (or refusal) is fine here: the test is about what the metrics keep.
            .handle((r, failure) -> null)
            .whenComplete((r, failure) -> inFlight.release()));
  }

  private void drain() throws Exception {
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    pending.clear();
  }

  /** The app's own sample lines (JVM and process metrics aside), without their values. */
  private Set<String> series(String url, String accept) throws Exception {
    Set<String> out = new TreeSet<>();
    for (String line : scrape(url, accept)) {
      if (!line.isBlank() && !line.startsWith("#") && !isJvm(line)) {
        out.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return out;
  }

  private int jvmSeries(String url) throws Exception {
    return (int) scrape(url, "text/plain").stream().filter(SeriesCeilingIT::isJvm).count();
  }

  private static boolean isJvm(String line) {
    return line.startsWith("jvm_") || line.startsWith("process_");
  }

  private List<String> scrape(String url, String accept) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body().lines().toList();
  }
}
