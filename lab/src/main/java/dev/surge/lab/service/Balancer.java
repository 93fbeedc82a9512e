package dev.surge.lab.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's Service: one loopback port that balances TCP connections like kube-proxy in iptables
 * mode. Each new connection goes to an endpoint chosen at random among the ready ones; an
 * established connection stays on its pod until either side closes it, whatever happens to the
 * endpoint list afterwards. This is what makes keep-alive pinning visible (and {@code
 * --max-connection-age} its cure).
 *
 * <p>One deviation, said in docs/LAB.md: when the connect to the chosen pod fails before a byte was
 * relayed (the pod exited between the endpoint update and the connect), the balancer tries another
 * ready endpoint instead of resetting the client, as a Service whose endpoints were updated a
 * moment earlier would have.
 *
 * <p>Threads: one acceptor, and two relay threads per connection (client → pod, pod → client) with
 * blocking sockets and {@code TCP_NODELAY}: at the lab's few hundred connections this costs less
 * latency than a selector hand-off. {@link #endpoints(List)} may be called from any thread; it
 * affects only connections accepted afterwards.
 *
 * <pre>{@code
 * try (Balancer b = Balancer.start(0)) {
 *   b.endpoints(List.of(new Endpoint("surge-abc-x1y2z", addr)));
 *   int port = b.port();
 * }
 * }</pre>
 */
public final class Balancer implements AutoCloseable {
  private static final int BUFFER = 16 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private final ServerSocket server;
  private final ExecutorService relays;
  private final Thread acceptor;
  private final Random random;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> connectionsByPod = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private volatile List<Endpoint> endpoints = List.of();
  private volatile boolean closed;

  private Balancer(ServerSocket server, Random random) {
    this.server = server;
    this.random = random;
    this.relays =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "surge-lab-service-relay");
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "surge-lab-service-accept");
    this.acceptor.setDaemon(true);
  }

  /** Binds 127.0.0.1:{@code port} (0: any free port) and starts accepting. */
  public static Balancer start(int port) throws IOException {
    return start(port, new Random());
  }

  /** As {@link #start(int)} with the endpoint choice drawn from {@code random} (tests). */
  static Balancer start(int port, Random random) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    } catch (IOException e) {
      server.close();
      throw new IOException(
          "cannot bind the lab's Service on port " + port + ": " + e.getMessage(), e);
    }
    Balancer b = new Balancer(server, random);
    b.acceptor.start();
    return b;
  }

  /** The bound port. */
  public int port() {
    return server.getLocalPort();
  }

  /** Replaces the ready endpoints; only new connections see the change. */
  public void endpoints(List<Endpoint> ready) {
    this.endpoints = List.copyOf(ready);
  }

  /** The current endpoints. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** Connections accepted so far, by the pod they went to. */
  public Map<String, Long> connectionsByPod() {
    Map<String, Long> m = new TreeMap<>();
    connectionsByPod.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Connections closed at once because no endpoint was ready (or none accepted the connect). */
  public long refused() {
    return refused.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue; // a failed accept (e.g. the client reset first) affects that client only
      }
      open.add(client);
      try {
        relays.execute(() -> connect(client));
      } catch (RuntimeException rejected) {
        // Closing: the executor no longer takes work.
        closeQuietly(client);
      }
    }
  }

  private void connect(Socket client) {
    Socket backend = null;
    List<Endpoint> candidates = new ArrayList<>(endpoints);
    while (backend == null && !candidates.isEmpty()) {
      Endpoint e = candidates.remove(random.nextInt(candidates.size()));
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(e.address(), CONNECT_TIMEOUT_MILLIS);
        backend = s;
        connectionsByPod.computeIfAbsent(e.pod(), k -> new AtomicLong()).incrementAndGet();
      } catch (IOException refusedByPod) {
        // Nothing was relayed yet: another ready endpoint can take the connection.
        closeQuietly(s);
      }
    }
    if (backend == null) {
      refused.incrementAndGet();
      open.remove(client);
      closeQuietly(client);
      return;
    }
    open.add(backend);
    try {
      client.setTcpNoDelay(true);
    } catch (SocketException e) {
      // The client is already gone: the relay below sees it and closes both.
    }
    Socket pod = backend;
    Pair pair = new Pair(client, pod);
    try {
      relays.execute(() -> pump(pair, pod, client));
    } catch (RuntimeException rejected) {
      pair.closeBoth();
      return;
    }
    pump(pair, client, pod);
  }

  /** Copies {@code from} → {@code to} until EOF, then half-closes {@code to}. */
  private void pump(Pair pair, Socket from, Socket to) {
    byte[] buf = new byte[BUFFER];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // A reset or a close on either side ends the connection as TCP would: close both.
      pair.closeBoth();
      return;
    }
    pair.halfDone();
  }

  /** Both directions of one relayed connection; closes the sockets when both have finished. */
  private final class Pair {
    private final Socket client;
    private final Socket pod;
    private int done;

    Pair(Socket client, Socket pod) {
      this.client = client;
      this.pod = pod;
    }

    synchronized void halfDone() {
      if (++done == 2) {
        closeBoth();
      }
    }

    void closeBoth() {
      open.remove(client);
      open.remove(pod);
      closeQuietly(client);
      closeQuietly(pod);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing a socket that already failed: nothing left to release.
    }
  }

  /** Stops accepting, closes every relayed connection and releases the port. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // The port is released either way.
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    relays.shutdownNow();
    try {
      acceptor.join(2000);
      relays.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
