package dev.surge.lab.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Each pod's request rate, from the app's own {@code surge_http_requests_total} (as Prometheus'
 * {@code rate()} would see it): scraped at every controller sync, the rate is the counter's
 * increase since the previous scrape over the time between them. Probe requests ({@code /healthz},
 * {@code /readyz}) are not counted.
 *
 * <p>Not thread-safe: the controller's sync thread owns it.
 */
public final class RequestCounts {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Map<String, double[]> last = new HashMap<>();

  /**
   * Scrapes the pods and returns their request rates since the previous call (a pod seen for the
   * first time has none yet).
   *
   * @param metricsPorts pod name → metrics port
   * @param now lab-clock seconds
   */
  public Map<String, Double> rates(Map<String, Integer> metricsPorts, double now) {
    Map<String, Double> rates = new TreeMap<>();
    Map<String, double[]> seen = new HashMap<>();
    metricsPorts.forEach(
        (pod, port) -> {
          OptionalDouble total = scrape(port);
          if (total.isEmpty()) {
            return;
          }
          double[] prev = last.get(pod);
          seen.put(pod, new double[] {now, total.getAsDouble()});
          if (prev != null && now > prev[0] && total.getAsDouble() >= prev[1]) {
            rates.put(pod, (total.getAsDouble() - prev[1]) / (now - prev[0]));
          }
        });
    last.clear();
    last.putAll(seen);
    return rates;
  }

  private OptionalDouble scrape(int port) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .timeout(Duration.ofSeconds(2))
              .GET()
              .build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? OptionalDouble.of(served(r.body())) : OptionalDouble.empty();
    } catch (IOException e) {
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** The sum of {@code surge_http_requests_total} over every route but the probes. */
  static double served(String exposition) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("surge_http_requests_total{")
          && !line.contains("route=\"/healthz\"")
          && !line.contains("route=\"/readyz\"")) {
        int space = line.lastIndexOf(' ');
        int close = line.lastIndexOf('}');
        String value = line.substring(close + 1).trim();
        if (space > close) {
          // "name{labels} value" or "name{labels} value timestamp": the value follows the labels.
          value = value.split(" ")[0];
        }
        sum += Double.parseDouble(value);
      }
    }
    return sum;
  }
}
