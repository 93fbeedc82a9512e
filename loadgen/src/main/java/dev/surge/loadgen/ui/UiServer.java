package dev.surge.loadgen.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The live page of {@code --ui}: the JDK's HTTP server on 127.0.0.1 serving the page ({@code /},
 * the same page {@code report} writes, with its assets inline) and the run's server-sent events
 * ({@code /events}, see {@link SseHub}). No extra process, nothing fetched from elsewhere.
 *
 * <pre>{@code
 * try (UiServer ui = UiServer.builder().port(0).build()) {
 *   out.println("ui       " + ui.url());
 *   ... run, calling ui.interval(...), ui.events().publish(...), ui.ended(result)
 * }
 * }</pre>
 *
 * <p>Cost and concurrency: the run's threads only hand objects to a bounded queue ({@link
 * #started}, {@link #interval}, {@link #scaling}, {@link #cost}, {@link #events()}, {@link #ended}:
 * never blocking; when the queue is full the update is dropped and counted in {@link
 * #droppedUpdates()}). Serialization and the fan-out happen on one thread of its own ({@value
 * #PUBLISHER_THREAD}); each browser is written to by one HTTP thread ({@value #HTTP_THREAD}-N). At
 * most {@link Builder#maxClients} browsers at once (more get 503).
 */
public final class UiServer implements LiveView {
  static final String PUBLISHER_THREAD = "surge-ui-publisher";
  static final String HTTP_THREAD = "surge-ui-http";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  private final HttpServer server;
  private final SseHub hub;
  private final ExecutorService http;
  private final ThreadPoolExecutor publisher;
  private final AtomicLong droppedUpdates = new AtomicLong();
  private final int maxClients;
  private final AtomicInteger streaming = new AtomicInteger();
  private final byte[] page;
  private final EventSink events = this::event;

  private UiServer(Builder b) throws IOException {
    this.hub = new SseHub(b.clientQueue);
    this.maxClients = b.maxClients;
    this.page = Page.live().getBytes(StandardCharsets.UTF_8);
    this.publisher =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(b.updateQueue),
            r -> daemon(r, PUBLISHER_THREAD),
            (r, pool) -> droppedUpdates.incrementAndGet());
    AtomicInteger n = new AtomicInteger();
    this.http =
        Executors.newFixedThreadPool(
            maxClients + 2, r -> daemon(r, HTTP_THREAD + "-" + n.incrementAndGet()));
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    } catch (IOException e) {
      publisher.shutdownNow();
      http.shutdownNow();
      throw e;
    }
    this.server = s;
    server.setExecutor(http);
    server.createContext("/", this::handle);
    server.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A builder; {@link Builder#build()} binds the port and starts serving. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  @Override
  public void started(Map<String, Object> hello) {
    Map<String, Object> copy = new LinkedHashMap<>(hello);
    submit("hello", copy);
  }

  @Override
  public void scalingInfo(Map<String, Object> header) {
    submit("scaling-info", new LinkedHashMap<>(header));
  }

  @Override
  public void interval(IntervalResult interval) {
    // Every second for the whole run: the streaming writer, not data binding (see IntervalJson).
    send("interval", () -> IntervalJson.of(interval));
  }

  @Override
  public void scaling(Object timelineEntry) {
    submit("scaling", timelineEntry);
  }

  @Override
  public void cost(Object cost) {
    submit("cost", cost);
  }

  @Override
  public EventSink events() {
    return events;
  }

  private void event(RunEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", Double.isNaN(e.t()) ? null : Math.round(e.t() * 1000) / 1000.0);
    m.put("kind", e.kind().label());
    m.put("subject", e.subject());
    m.put("message", e.message());
    submit("event", m);
  }

  @Override
  public void ended(RunResult result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("summary", result.summary());
    m.put("checks", result.checks());
    if (result.scaling() != null) {
      m.put("scaling", result.scaling());
    }
    try {
      publisher.execute(() -> hub.end(json(m)));
    } catch (RejectedExecutionException e) {
      // A full queue must not lose the end: the page would never say the run is over.
      hub.end(json(m));
    }
  }

  private void submit(String event, Object payload) {
    send(event, () -> json(payload));
  }

  /** Serializes on the publishing thread and broadcasts; never blocks the caller. */
  private void send(String event, Supplier<String> json) {
    try {
      publisher.execute(() -> hub.broadcast(event, json.get()));
    } catch (RejectedExecutionException e) {
      droppedUpdates.incrementAndGet(); // after close
    }
  }

  private static String json(Object payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a live update: " + e.getMessage(), e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      if (!"GET".equals(ex.getRequestMethod())) {
        error(ex, 405, "method not allowed", ex.getRequestMethod() + " " + path + ": use GET");
        return;
      }
      switch (path) {
        case "/", "/index.html" -> {
          ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          ex.getResponseHeaders().set("Cache-Control", "no-store");
          ex.sendResponseHeaders(200, page.length);
          ex.getResponseBody().write(page);
        }
        case "/events" -> events(ex);
        case "/favicon.ico" ->
            ex.sendResponseHeaders(204, -1); // no icon, and no 404 in the console
        default ->
            error(ex, 404, "not found", path + ": the page is at / and its stream at /events");
      }
    } finally {
      ex.close();
    }
  }

  private void events(HttpExchange ex) throws IOException {
    if (streaming.incrementAndGet() > maxClients) {
      streaming.decrementAndGet();
      error(ex, 503, "too many browsers", "at most " + maxClients + " pages at once");
      return;
    }
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(200, 0);
      OutputStream body = ex.getResponseBody();
      hub.stream(body);
    } catch (IOException e) {
      // The browser went away (page closed, reload): that is its business, not the run's.
    } finally {
      streaming.decrementAndGet();
    }
  }

  private static void error(HttpExchange ex, int status, String error, String detail)
      throws IOException {
    byte[] body = json(Map.of("error", error, "detail", detail)).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  /** Browsers connected now. */
  public int clients() {
    return hub.clients();
  }

  /** Browsers dropped because they fell too far behind. */
  public long evictions() {
    return hub.evictions();
  }

  /** Updates not published because the publishing queue was full. */
  public long droppedUpdates() {
    return droppedUpdates.get();
  }

  /**
   * Lets the publisher send what is queued (the end included) and connected pages read it, for at
   * most a second, then closes every connection and stops the threads.
   */
  @Override
  public void close() {
    publisher.shutdown();
    try {
      publisher.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(1);
    http.shutdownNow();
    publisher.shutdownNow();
  }

  /** Settings of a {@link UiServer}. */
  public static final class Builder {
    private int port;
    private int clientQueue = 512;
    private int updateQueue = 4096;
    private int maxClients = 16;

    private Builder() {}

    /** The port on 127.0.0.1; 0 picks a free one. Default is 0. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Frames a browser may lag behind before it is dropped. Default is 512. */
    public Builder clientQueue(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("clientQueue must be >= 1, got " + frames);
      }
      this.clientQueue = frames;
      return this;
    }

    /** Updates waiting to be serialized before new ones are dropped. Default is 4096. */
    public Builder updateQueue(int updates) {
      if (updates < 1) {
        throw new IllegalArgumentException("updateQueue must be >= 1, got " + updates);
      }
      this.updateQueue = updates;
      return this;
    }

    /** Browsers connected at once. Default is 16. */
    public Builder maxClients(int clients) {
      if (clients < 1) {
        throw new IllegalArgumentException("maxClients must be >= 1, got " + clients);
      }
      this.maxClients = clients;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the port cannot be bound (in use)
     */
    public UiServer build() throws IOException {
      return new UiServer(this);
    }
  }

  /** For tests: the hub. */
  SseHub hub() {
    return hub;
  }
}
