package dev.surge.loadgen.testing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server on port 0 for loadgen tests: answers every request with a fixed status and an
 * {@code X-Surge-Instance} header, optionally delaying every response, or stalling all responses
 * for a while once a given number of requests has arrived (a frozen server, the
 * coordinated-omission case). Delays never hold a thread.
 */
public final class TestServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong requests = new AtomicLong();
  private final java.util.Set<String> connections =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final String instance;
  private final int status;
  private final long delayMillis;
  private final long stallAfter;
  private final long stallMillis;
  private volatile long stallEndNanos;

  private TestServer(Builder b) throws Exception {
    this.instance = b.instance;
    this.status = b.status;
    this.delayMillis = b.delayMillis;
    this.stallAfter = b.stallAfter;
    this.stallMillis = b.stallMillis;
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Cleartext HTTP/1.1 and, for --http2 tests, HTTP/2 with prior knowledge on the same port.
    connector =
        b.h2c
            ? new ServerConnector(
                server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
            : new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            connections.add(request.getConnectionMetaData().getId());
            versions.add(request.getConnectionMetaData().getHttpVersion().asString());
            return TestServer.this.handle(response, callback);
          }
        });
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  private boolean handle(Response response, Callback callback) {
    long n = requests.incrementAndGet();
    long now = System.nanoTime();
    if (stallAfter > 0 && n == stallAfter) {
      stallEndNanos = now + stallMillis * 1_000_000L;
    }
    long wait = delayMillis * 1_000_000L;
    long stallEnd = stallEndNanos;
    if (stallEnd != 0 && now < stallEnd) {
      wait = Math.max(wait, stallEnd - now);
    }
    if (wait <= 0) {
      respond(response, callback);
    } else {
      var unused = timer.schedule(() -> respond(response, callback), wait, TimeUnit.NANOSECONDS);
    }
    return true;
  }

  private void respond(Response response, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put("X-Surge-Instance", instance);
    response.getHeaders().put("Content-Type", "text/plain");
    Content.Sink.write(response, true, "ok " + instance + "\n", callback);
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>} plus the path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** HTTP versions the requests came in with, e.g. {@code HTTP/1.1}, {@code HTTP/2.0}. */
  public java.util.Set<String> versions() {
    return java.util.Set.copyOf(versions);
  }

  /** Distinct connections that carried requests so far. */
  public int connections() {
    return connections.size();
  }

  /** Requests received so far. */
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the test server", e);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Settings of the test server. */
  public static final class Builder {
    private String instance = "test-a";
    private int status = 200;
    private long delayMillis;
    private long stallAfter;
    private long stallMillis;
    private boolean h2c;

    /** Also accept HTTP/2 clear-text with prior knowledge. Default is false. */
    public Builder h2c() {
      this.h2c = true;
      return this;
    }

    /** Value of the X-Surge-Instance header. Default is {@code test-a}. */
    public Builder instance(String name) {
      this.instance = name;
      return this;
    }

    /** Status of every response. Default is 200. */
    public Builder status(int s) {
      this.status = s;
      return this;
    }

    /** Delay of every response. Default is 0. */
    public Builder delayMillis(long ms) {
      this.delayMillis = ms;
      return this;
    }

    /**
     * When request number {@code after} arrives, hold every response until {@code millis} later.
     */
    public Builder stall(long after, long millis) {
      this.stallAfter = after;
      this.stallMillis = millis;
      return this;
    }

    public TestServer build() throws Exception {
      return new TestServer(this);
    }
  }
}
