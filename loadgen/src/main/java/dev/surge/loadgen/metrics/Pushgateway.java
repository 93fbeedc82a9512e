package dev.surge.loadgen.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Pushes the final figures of a run to a Prometheus Pushgateway (the Job case, where nothing
 * scrapes a finished pod): an HTTP PUT of the Prometheus text format to {@code
 * URL/metrics/job/surge-loadgen}, plus {@code /shard/<i>} when the run is one shard of several so
 * that shards do not overwrite each other. (client_java's pushgateway exporter is not available at
 * this version; the protocol is this one PUT.)
 */
public final class Pushgateway {
  /** The job name the figures are pushed under (docs/CONTRACT.md). */
  public static final String JOB = "surge-loadgen";

  private Pushgateway() {}

  /** The push URL for a base URL and an optional shard index (null for none). */
  public static URI pushUri(String baseUrl, Integer shard) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return URI.create(base + "/metrics/job/" + JOB + (shard == null ? "" : "/shard/" + shard));
  }

  /**
   * PUTs the registry's current values.
   *
   * @throws IOException when the gateway cannot be reached or answers other than 2xx
   */
  public static void push(URI uri, PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(body, registry.scrape());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<String> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pushing to " + uri, e);
    }
    if (resp.statusCode() / 100 != 2) {
      throw new IOException(
          "pushgateway " + uri + " answered " + resp.statusCode() + ": " + resp.body());
    }
  }
}
