package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.surge.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with {@code --admin-token-file}: mutating admin requests need the token, reads stay
 * open, outcomes are counted, and the token appears in no log line and no metric; {@code
 * --admin=false} removes the routes; a missing token file locks them (403), an empty one stops
 * start-up with exit 2.
 */
class AdminAuthIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final Pattern LOCKED =
      Pattern.compile("(?m)^surge_admin_auth_total\\{outcome=\"locked\"\\} (\\S+)$");

  @TempDir Path dir;

  private static HttpResponse<String> send(
      int port, String method, String path, String body, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void mutatingAdminRequestsNeedTheTokenAndTheTokenIsNeverShown() throws Exception {
    String token = "tok-" + UUID.randomUUID();
    Path file = Files.writeString(dir.resolve("admin-token"), token + "\n");
    try (AppProcess app =
        AppProcess.builder()
            .addArgs("--drain-delay", "0ms", "--admin-token-file", file.toString())
            .start()) {
      int port = app.port();
      String faults = "{\"errorRate\":0.5}";

      HttpResponse<String> missing = send(port, "PUT", "/admin/faults", faults, null);
      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(missing.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"surge-admin\"");
      assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(missing.body())
          .isEqualTo(
              "{\"error\":\"missing token\",\"detail\":\"send Authorization: Bearer <admin token>\"}");

      HttpResponse<String> wrong =
          send(port, "PUT", "/admin/faults", faults, "Bearer " + token + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(wrong.body()).contains("\"wrong token\"").doesNotContain(token);
      assertThat(
              send(port, "POST", "/admin/cpu", "{\"millicores\":1}", "Basic " + token).statusCode())
          .isEqualTo(401);
      assertThat(send(port, "DELETE", "/admin/memory", null, "Bearer").statusCode()).isEqualTo(401);

      // Nothing changed while refused.
      assertThat(send(port, "GET", "/admin/faults", null, null).body())
          .contains("\"errorRate\":0.0");

      HttpResponse<String> right = send(port, "PUT", "/admin/faults", faults, "Bearer " + token);
      assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
      assertThat(right.body()).contains("\"errorRate\":0.5");
      assertThat(send(port, "DELETE", "/admin/cpu", null, "bearer " + token).statusCode())
          .as("the scheme is case-insensitive")
          .isEqualTo(200);
      // Reads stay open: the same settings are on /metrics as surge_fault_*.
      assertThat(send(port, "GET", "/admin/faults", null, null).statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = send(app.metricsPort(), "GET", "/metrics", null, null);
      assertThat(metrics.body())
          .contains("surge_admin_auth_total{outcome=\"allowed\"} 2.0")
          .contains("surge_admin_auth_total{outcome=\"missing\"} 3.0")
          .contains("surge_admin_auth_total{outcome=\"wrong\"} 1.0")
          .doesNotContain(token);
      assertThat(app.stop()).isZero();
      assertThat(app.output()).contains("surge-app started").doesNotContain(token);
    }
  }

  @Test
  void withoutATokenFileTheAdminEndpointsStayOpenAsBefore() throws Exception {
    try (AppProcess app = AppProcess.builder().addArgs("--drain-delay", "0ms").start()) {
      assertThat(send(app.port(), "PUT", "/admin/faults", "{\"errorRate\":0}", null).statusCode())
          .isEqualTo(200);
    }
  }

  /** Every admin route, each a mutating one but the first. */
  private static final List<String> ROUTES =
      List.of(
          "GET /admin/faults",
          "PUT /admin/faults",
          "POST /admin/cpu",
          "DELETE /admin/cpu",
          "POST /admin/memory",
          "DELETE /admin/memory");

  /**
   * One case per route, against one app (the cases only read it), which is stopped when JUnit
   * closes the stream.
   */
  @TestFactory
  Stream<DynamicTest> adminFalseRemovesTheRoutes() {
    AppProcess app = AppProcess.builder().addArgs("--drain-delay", "0ms", "--admin=false").start();
    return ROUTES.stream()
        .map(
            route ->
                dynamicTest(
                    route,
                    () -> {
                      String[] r = route.split(" ");
                      HttpResponse<String> response = send(app.port(), r[0], r[1], "{}", null);
                      assertThat(response.statusCode()).isEqualTo(404);
                      assertThat(response.body()).contains("\"not found\"");
                      assertThat(send(app.port(), "GET", "/healthz", null, null).statusCode())
                          .isEqualTo(200);
                    }))
        .onClose(app::close);
  }

  /**
   * What a pod sees when its optional Secret volume has no Secret yet (k8s admin-token): one case
   * per mutating route against one locked app, each counting its own two refusals, then the app's
   * stop and its log line.
   */
  @TestFactory
  Stream<DynamicTest> aMissingTokenFileStartsWithTheAdminEndpointsLocked() {
    String missing = dir.resolve("absent").toString();
    AppProcess app =
        AppProcess.builder().addArgs("--drain-delay", "0ms", "--admin-token-file", missing).start();
    Stream<DynamicTest> cases =
        Stream.of("PUT /admin/faults", "POST /admin/cpu", "DELETE /admin/memory")
            .map(
                route ->
                    dynamicTest(
                        route,
                        () -> {
                          String[] m = route.split(" ");
                          assertLocked(app, m[0], m[1], missing);
                        }));
    Stream<DynamicTest> stop =
        Stream.of(
            dynamicTest(
                "stops with exit 0 and says it is locked",
                () -> {
                  assertThat(app.stop()).isZero();
                  assertThat(app.output()).contains("admin endpoints locked");
                }));
    return Stream.concat(cases, stop).onClose(app::close);
  }

  private static void assertLocked(AppProcess app, String method, String path, String missing)
      throws Exception {
    double before = lockedCount(app);
    HttpResponse<String> r = send(app.port(), method, path, "{\"errorRate\":0.5}", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"admin locked\",\"detail\":\"no admin token: the file "
                + missing
                + " does not exist; create it (k8s: the Secret surge-admin-token) and restart the"
                + " app\"}");
    assertThat(send(app.port(), method, path, "{}", "Bearer anything").statusCode())
        .as("no token opens a locked app")
        .isEqualTo(403);
    assertThat(send(app.port(), "GET", "/admin/faults", null, null).body())
        .contains("\"errorRate\":0.0");
    assertThat(send(app.port(), "GET", "/readyz", null, null).statusCode()).isEqualTo(200);
    assertThat(lockedCount(app))
        .as("this case's two refusals, and nothing else")
        .isEqualTo(before + 2);
  }

  /** {@code surge_admin_auth_total{outcome="locked"}} on the app's /metrics, 0 when absent. */
  private static double lockedCount(AppProcess app) throws Exception {
    Matcher m = LOCKED.matcher(send(app.metricsPort(), "GET", "/metrics", null, null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void anEmptyTokenFileExitsTwoNamingTheFlag() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "");
    AppProcess.Exit exit =
        AppProcess.run(
            List.of("--port", "0", "--metrics-port", "0", "--admin-token-file", empty.toString()));
    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.stderr())
        .startsWith(
            "surge-app: Invalid value for option '--admin-token-file': '"
                + empty
                + "' is not a token file: the file is empty");
  }
}
