package dev.surge.loadgen.client;

import dev.surge.loadgen.record.ErrorKind;
import dev.surge.loadgen.record.RunRecorder;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.DuplexConnectionPool;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.MultiplexConnectionPool;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client of a loadgen process: the lean HTTP/1.1 transport ({@link LeanTransport}, the
 * default of a run through {@link Transport#AUTO} for plain {@code http://} targets) or, for HTTP/2
 * and TLS, one Jetty {@link HttpClient}. Both are tuned for load: a cap on connections per target,
 * a bounded queue per target (sized to the in-flight cap, so the client never queues without
 * bound), no cookie store, no redirects, no content decoding and response bodies discarded, an idle
 * timeout shorter than the server's (so the client, not the server, closes idle connections and no
 * request races a server-side close), and connections retired by age so that pods added behind a
 * Service get traffic.
 *
 * <pre>{@code
 * try (LoadClient c = LoadClient.builder().connections(32).maxConnectionAgeMillis(10_000).build()) {
 *   c.send(template, intendedNanos, recorder);
 * }
 * }</pre>
 */
public final class LoadClient implements AutoCloseable {
  /** Response header naming the instance that served a request (docs/CONTRACT.md). */
  public static final String INSTANCE_HEADER = "X-Surge-Instance";

  private final HttpClient http;
  private final LeanTransport lean;
  private final Transport transport;
  private final long requestTimeoutMillis;
  private final LongSupplier clock;

  private LoadClient(Builder b) {
    this.requestTimeoutMillis = b.requestTimeoutMillis;
    this.clock = b.clock;
    this.transport = b.transport.resolve(b.http2, b.targets);
    if (transport == Transport.LEAN) {
      LeanTransport.Settings s = new LeanTransport.Settings();
      s.connections = b.connections;
      s.loops = b.loops;
      s.maxQueued = b.maxQueued;
      s.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(b.idleTimeoutMillis);
      s.connectTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(b.connectTimeoutMillis);
      s.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(b.requestTimeoutMillis);
      s.maxConnectionAgeNanos = TimeUnit.MILLISECONDS.toNanos(b.maxConnectionAgeMillis);
      s.userAgent = b.userAgent;
      s.clock = b.clock;
      this.lean = new LeanTransport(s);
      this.http = null;
      return;
    }
    this.lean = null;
    int connections = b.connections;
    long age = b.maxConnectionAgeMillis;
    HttpClientTransport transport;
    if (b.http2) {
      // HTTP/2 clear-text with prior knowledge: each connection multiplexes streams (up to the
      // server's limit).
      transport = new HttpClientTransportOverHTTP2(new HTTP2Client());
      transport.setConnectionPoolFactory(
          destination ->
              withAge(new MultiplexConnectionPool(destination, connections, INITIAL_STREAMS), age));
    } else {
      transport = new HttpClientTransportOverHTTP(1);
      transport.setConnectionPoolFactory(
          destination -> withAge(new DuplexConnectionPool(destination, connections), age));
    }
    // The listeners only count and record (no I/O, no locks held long): declaring them non-blocking
    // lets the selector
    // thread parse the response and notify them itself, instead of handing every response to a pool
    // thread (two
    // context switches per response, the largest CPU cost of the generator on a small machine).
    transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
    http = new HttpClient(transport);
    QueuedThreadPool threads = new QueuedThreadPool(b.threads, 2);
    threads.setName("surge-loadgen-client");
    threads.setDaemon(true);
    // No reserved threads: with non-blocking listeners nothing needs one, and each one parks and
    // wakes on its own.
    threads.setReservedThreads(0);
    http.setExecutor(threads);
    http.setMaxConnectionsPerDestination(connections);
    http.setMaxRequestsQueuedPerDestination(b.maxQueued);
    http.setHttpCookieStore(new HttpCookieStore.Empty());
    http.setFollowRedirects(false);
    http.setIdleTimeout(b.idleTimeoutMillis);
    http.setConnectTimeout(b.connectTimeoutMillis);
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, b.userAgent));
    http.getContentDecoderFactories().clear();
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Streams per HTTP/2 connection until the server's SETTINGS say otherwise. */
  private static final int INITIAL_STREAMS = 100;

  private static AbstractConnectionPool withAge(AbstractConnectionPool pool, long ageMillis) {
    if (ageMillis > 0) {
      // A connection older than this is closed when released instead of reused, so a new one is
      // opened — and
      // behind a Service the new one may land on a new pod.
      pool.setMaxDuration(ageMillis);
    }
    return pool;
  }

  /**
   * Sends one request asynchronously; the outcome goes to the recorder. Latency counts from {@code
   * intendedNanos} (corrected) and from the moment the request begins on a connection
   * (uncorrected).
   */
  public void send(RequestTemplate t, long intendedNanos, RunRecorder recorder) {
    send(t, intendedNanos, recorder, Completion.NONE);
  }

  /**
   * Like {@link #send(RequestTemplate, long, RunRecorder)}, then runs {@code done} once the outcome
   * is recorded (on an I/O thread: it must not block). The lean transport handles plain http://
   * only; the caller chose the transport for its targets ({@link Transport#resolve}).
   */
  public void send(RequestTemplate t, long intendedNanos, RunRecorder recorder, Completion done) {
    if (lean != null) {
      lean.send(t, intendedNanos, recorder, done);
      return;
    }
    Exchange exchange = new Exchange(intendedNanos, recorder, clock, done);
    try {
      Request r =
          http.newRequest(t.uri())
              .method(t.method())
              .timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS);
      if (!t.headers().isEmpty()) {
        r.headers(h -> t.headers().forEach(x -> h.add(x.name(), x.value())));
      }
      if (t.body() != null) {
        r.body(
            new BytesRequestContent(
                t.contentType() == null ? "application/json" : t.contentType(), t.body()));
      }
      r.onRequestBegin(exchange).send(exchange);
    } catch (RuntimeException e) {
      // E.g. the client is stopping: the request never left, but it was counted in flight, so close
      // it out.
      recorder.failure(ErrorKind.classify(e), intendedNanos, 0, clock.getAsLong());
      done.completed();
    }
  }

  /**
   * Opens up to {@code perTarget} connections to each target before the run starts, so the first
   * scheduled requests do not pay for TCP connects and class loading. No HTTP request is sent. A
   * target that cannot be reached is left alone here: the run records the connect errors.
   */
  public void warmUp(Collection<URI> targets, int perTarget) {
    if (lean != null) {
      lean.warmUp(targets, perTarget);
      return;
    }
    for (URI uri : targets) {
      try {
        Request r = http.newRequest(uri);
        if (http.resolveDestination(r).getConnectionPool() instanceof AbstractConnectionPool p) {
          p.preCreateConnections(perTarget).get(http.getConnectTimeout(), TimeUnit.MILLISECONDS);
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Not reachable (yet): the run will count the failures by kind; warming up is only an
        // optimisation.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Event loops that can send the open model on their own timers ({@link #feed}): the lean
   * transport's loops; 0 with Jetty, whose sends go through {@link #send} from a dispatcher thread.
   */
  public int feedLanes() {
    return lean == null ? 0 : lean.loops();
  }

  /**
   * Hands lane {@code i} (0 to {@link #feedLanes()} - 1) the requests it sends from now on, on its
   * own loop thread (see {@link Feed}).
   *
   * @throws IllegalStateException with the Jetty transport
   */
  public void feed(int i, Feed f) {
    if (lean == null) {
      throw new IllegalStateException("only the lean transport takes a feed");
    }
    lean.feed(i, f);
  }

  /** The Jetty client, for tests that inspect connection pools (null with the lean transport). */
  public HttpClient http() {
    return http;
  }

  /** The transport in use: {@link Transport#LEAN} or {@link Transport#JETTY}. */
  public Transport transport() {
    return transport;
  }

  /**
   * TCP connections the lean transport opened so far (keep-alive reuse, recycling); -1 with Jetty.
   */
  public long connectionsOpened() {
    return lean == null ? -1 : lean.connectionsOpened();
  }

  @Override
  public void close() {
    if (lean != null) {
      lean.close();
      return;
    }
    try {
      http.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP client: " + e.getMessage(), e);
    }
  }

  /** Per-request state: the intended time and when the request began on a connection. */
  private static final class Exchange implements Request.BeginListener, Response.CompleteListener {
    private final long intended;
    private final RunRecorder recorder;
    private final LongSupplier clock;
    private final Completion done;
    private volatile long begin;

    Exchange(long intended, RunRecorder recorder, LongSupplier clock, Completion done) {
      this.intended = intended;
      this.recorder = recorder;
      this.clock = clock;
      this.done = done;
    }

    @Override
    public void onBegin(Request request) {
      begin = clock.getAsLong();
    }

    @Override
    public void onComplete(Result result) {
      long end = clock.getAsLong();
      if (result.isFailed()) {
        recorder.failure(ErrorKind.classify(result.getFailure()), intended, begin, end);
      } else {
        Response resp = result.getResponse();
        recorder.response(
            resp.getStatus(), resp.getHeaders().get(INSTANCE_HEADER), intended, begin, end);
      }
      done.completed();
    }
  }

  /** Settings of the client; every one has a default suited to a load test. */
  public static final class Builder {
    private int connections = 32;
    private int maxQueued = 1024;
    private long idleTimeoutMillis = 10_000;
    private long connectTimeoutMillis = 5_000;
    private long requestTimeoutMillis = 30_000;
    private long maxConnectionAgeMillis;
    private int threads = 8;
    private int loops = Runtime.getRuntime().availableProcessors();
    private Transport transport = Transport.JETTY;
    private List<URI> targets = List.of();
    private boolean http2;
    private String userAgent = "surge-loadgen";
    private LongSupplier clock = System::nanoTime;

    private Builder() {}

    /** Maximum connections per target (host:port). Default is 32. */
    public Builder connections(int n) {
      this.connections = n;
      return this;
    }

    /** Requests the client may queue per target while waiting for a connection. Default is 1024. */
    public Builder maxQueued(int n) {
      this.maxQueued = n;
      return this;
    }

    /**
     * Idle connections are closed after this; keep it below the server's idle timeout. Default is
     * 10 s.
     */
    public Builder idleTimeoutMillis(long ms) {
      this.idleTimeoutMillis = ms;
      return this;
    }

    /** TCP connect timeout. Default is 5 s. */
    public Builder connectTimeoutMillis(long ms) {
      this.connectTimeoutMillis = ms;
      return this;
    }

    /** Total timeout of one request, queueing included. Default is 30 s. */
    public Builder requestTimeoutMillis(long ms) {
      this.requestTimeoutMillis = ms;
      return this;
    }

    /** Connections older than this are retired; 0 keeps them for ever. Default is 0. */
    public Builder maxConnectionAgeMillis(long ms) {
      this.maxConnectionAgeMillis = ms;
      return this;
    }

    /**
     * HTTP/2 clear-text (prior knowledge) instead of HTTP/1.1; http:// targets only. Default is
     * false.
     */
    public Builder http2(boolean on) {
      this.http2 = on;
      return this;
    }

    /** Maximum client threads (responses are handled on them). Default is 8. */
    public Builder threads(int n) {
      this.threads = n;
      return this;
    }

    /**
     * Which transport sends: {@link Transport#LEAN} (plain http:// HTTP/1.1 only), {@link
     * Transport#JETTY}, or {@link Transport#AUTO}, resolved against {@link #targets} by {@link
     * Transport#resolve} (lean only when every target is plain http:// and HTTP/2 is off). Default
     * is Jetty.
     */
    public Builder transport(Transport t) {
      this.transport = t;
      return this;
    }

    /**
     * The URIs this client will send to, which {@link Transport#AUTO} and {@link Transport#LEAN}
     * are checked against. Default is none: {@code AUTO} then means Jetty, and {@code LEAN} is
     * taken on trust.
     */
    public Builder targets(Collection<URI> targets) {
      this.targets = List.copyOf(targets);
      return this;
    }

    /**
     * Event-loop threads of the lean transport, each with its share of the connections (as wrk's
     * {@code -t}). Default is the number of available processors.
     */
    public Builder loops(int n) {
      this.loops = n;
      return this;
    }

    /** User-Agent header. Default is {@code surge-loadgen}. */
    public Builder userAgent(String ua) {
      this.userAgent = ua;
      return this;
    }

    /** Nanosecond clock; must be the dispatcher's. Default is {@link System#nanoTime}. */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds and starts the client.
     *
     * @throws IllegalArgumentException when {@link Transport#LEAN} is asked for HTTP/2 or for a
     *     target that is not plain http:// ({@link Transport#resolve})
     */
    public LoadClient build() {
      return new LoadClient(this);
    }
  }
}
