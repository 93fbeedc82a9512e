package dev.surge.loadgen.calibrate;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * Reads one metric from a Prometheus text-format endpoint (the app's {@code /metrics}): the sum of
 * all its samples, so a counter with labels (e.g. {@code surge_http_requests_total}) reads as its
 * total.
 */
final class MetricsScraper {
  private final HttpClient client;
  private final URI url;

  MetricsScraper(HttpClient client, URI url) {
    this.client = client;
    this.url = url;
  }

  /**
   * The sum of the samples of {@code name}, or NaN when the endpoint does not expose it.
   *
   * @throws IllegalStateException when the endpoint cannot be read
   */
  double sum(String name) {
    return sum(fetch(), name);
  }

  String fetch() {
    try {
      ContentResponse r = client.newRequest(url).timeout(10, TimeUnit.SECONDS).send();
      if (r.getStatus() != 200) {
        throw new IllegalStateException("GET " + url + " answered " + r.getStatus());
      }
      return r.getContentAsString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + url, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
    }
  }

  /** Sums the samples of {@code name} in a text-format exposition. */
  static double sum(String text, String name) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
        continue;
      }
      int rest = name.length();
      if (line.length() <= rest || (line.charAt(rest) != ' ' && line.charAt(rest) != '{')) {
        continue; // another metric sharing the prefix
      }
      String afterLabels =
          line.charAt(rest) == '{'
              ? line.substring(line.lastIndexOf('}') + 1)
              : line.substring(rest);
      String[] parts = afterLabels.trim().split("\\s+");
      total += Double.parseDouble(parts[0]);
      found = true;
    }
    return found ? total : Double.NaN;
  }
}
