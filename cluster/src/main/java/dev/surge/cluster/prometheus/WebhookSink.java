package dev.surge.cluster.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An HTTP server on a free loopback port that records what Alertmanager's webhook notifier posts to
 * it. Each Alertmanager receiver is pointed at its own path {@code /receiver/<name>}, so a delivery
 * says which receiver routed it (and the payload's {@code receiver} field must agree).
 *
 * <pre>{@code
 * try (WebhookSink hooks = WebhookSink.start()) {
 *   String url = hooks.urlFor("surge-page");
 *   ... hooks.deliveries() ...
 * }
 * }</pre>
 */
public final class WebhookSink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/receiver/";

  /**
   * One notification: the receiver path it was posted to, and one alert of the payload.
   *
   * @param path the receiver name from the URL path
   * @param payloadReceiver the payload's {@code receiver} field
   * @param status the alert's status ({@code firing} or {@code resolved})
   * @param labels the alert's labels
   */
  public record Delivery(
      String path, String payloadReceiver, String status, Map<String, String> labels) {
    /** The {@code alertname} label. */
    public String alertname() {
      return labels.getOrDefault("alertname", "");
    }
  }

  private final HttpServer server;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Consumer<Delivery> listener;

  private WebhookSink(Consumer<Delivery> listener) {
    this.listener = listener;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the webhook receiver", e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the receiver on a free port. */
  public static WebhookSink start() {
    return new WebhookSink(d -> {});
  }

  /**
   * Starts the receiver on a free port; {@code listener} is told of each delivery as it arrives (on
   * the server's thread).
   */
  public static WebhookSink start(Consumer<Delivery> listener) {
    return new WebhookSink(listener);
  }

  /** The URL to configure for Alertmanager receiver {@code receiver}. */
  public String urlFor(String receiver) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + receiver;
  }

  /** Every alert delivered so far, in arrival order. */
  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Requests that could not be read as a webhook payload (should stay empty). */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(PREFIX)) {
        errors.add(exchange.getRequestMethod() + " " + path);
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      JsonNode payload;
      try {
        payload = JSON.readTree(body);
      } catch (IOException e) {
        errors.add("unreadable payload on " + path + ": " + e.getMessage());
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      String receiver = path.substring(PREFIX.length());
      List<Delivery> batch = new ArrayList<>();
      for (JsonNode alert : payload.path("alerts")) {
        Map<String, String> labels = new LinkedHashMap<>();
        alert
            .path("labels")
            .properties()
            .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        batch.add(
            new Delivery(
                receiver,
                payload.path("receiver").asText(),
                alert.path("status").asText(),
                labels));
      }
      deliveries.addAll(batch);
      batch.forEach(listener);
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
