package dev.surge.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.loadgen.Main;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.testing.TestServer;
import dev.surge.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loadgen's own metrics: served while running (and lint-clean by promtool), pushed to a real
 * Pushgateway.
 */
class LoadgenMetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void servesContractMetricsWhileRunningThatPromtoolAccepts() throws Exception {
    Path promtool = Tools.require("promtool", "prometheus");
    try (TestServer server = TestServer.builder().build()) {
      // Port 0: the run binds any free port and prints it, so no port is picked here and then lost
      // to another process before the run binds it.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      new String[] {
                        "run",
                        "--url",
                        server.url("/"),
                        "--rate",
                        "100",
                        "--duration",
                        "4s",
                        "--metrics-port",
                        "0",
                        "--progress",
                        "off"
                      },
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      new PrintStream(err, true, StandardCharsets.UTF_8),
                      Map.of()));
      Pattern served = Pattern.compile("metrics  http://127\\.0\\.0\\.1:(\\d+)/metrics");
      int[] port = {-1};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Matcher m = served.matcher(out.toString(StandardCharsets.UTF_8));
                if (m.find()) {
                  port[0] = Integer.parseInt(m.group(1));
                }
                return port[0] > 0 || run.isDone();
              });
      assertThat(port[0]).as(out + "\n" + err).isPositive();
      String[] text = {""};
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                text[0] = get("http://127.0.0.1:" + port[0] + "/metrics");
                return value(text[0], "surge_loadgen_requests_total{outcome=\"ok\"}") > 0
                    && value(text[0], "surge_loadgen_target_rate") > 0;
              });
      assertThat(text[0])
          .contains("surge_loadgen_latency_seconds_bucket{le=\"0.005\"}")
          .contains("surge_loadgen_latency_seconds_bucket{le=\"10.0\"}")
          .contains("surge_loadgen_achieved_rate")
          .contains("surge_loadgen_in_flight")
          .contains("surge_loadgen_requests_total{outcome=\"dropped\"}")
          .contains("surge_loadgen_requests_total{outcome=\"error\"}");
      assertThat(value(text[0], "surge_loadgen_target_rate")).isEqualTo(100.0);

      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().write(text[0].getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(lint).isZero();
      assertThat(run.get()).as(out + "\n" + err).isZero();
    }
  }

  @Test
  void pushesFinalFiguresToARealPushgateway() throws Exception {
    Path binary = Tools.require("prometheus-pushgateway", "prometheus-pushgateway");
    // Port 0 as well: the gateway logs the address it bound ("Listening on" address=...).
    Path log = dir.resolve("pushgateway.log");
    Process gateway =
        new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try (TestServer server = TestServer.builder().build()) {
      Pattern listening = Pattern.compile("Listening on\"? address=127\\.0\\.0\\.1:(\\d+)");
      int[] port = {-1};
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Matcher m = listening.matcher(Files.readString(log));
                if (m.find()) {
                  port[0] = Integer.parseInt(m.group(1));
                }
                return port[0] > 0 || !gateway.isAlive();
              });
      assertThat(port[0]).as(Files.readString(log)).isPositive();
      String base = "http://127.0.0.1:" + port[0];
      await().atMost(Duration.ofSeconds(20)).until(() -> !get(base + "/-/ready").isEmpty());
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              server.url("/"),
              "--rate",
              "50",
              "--duration",
              "1s",
              "--pushgateway",
              base,
              "--progress",
              "off");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("pushed   " + base + "/metrics/job/surge-loadgen");
      String pushed = get(base + "/metrics");
      assertThat(
              value(
                  pushed,
                  "surge_loadgen_requests_total{instance=\"\",job=\"surge-loadgen\",outcome=\"ok\"}"))
          .isEqualTo(50.0);
      assertThat(pushed)
          .contains("surge_loadgen_latency_seconds_count{instance=\"\",job=\"surge-loadgen\"} 50");
    } finally {
      gateway.destroy();
      gateway.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
