package dev.surge.loadgen.client;

import dev.surge.loadgen.record.ErrorKind;
import dev.surge.loadgen.record.RunRecorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One event loop of the {@link LeanTransport}: a thread with its own selector and its own share of
 * the connections, as wrk runs one loop per thread. Requests arrive through a {@link SubmitQueue};
 * each connection carries one request at a time (keep-alive, no pipelining); a request waits in its
 * destination's FIFO when every connection is busy, and a new connection is opened while the
 * destination has fewer than its share. Timeouts (request, connect, idle) are checked by a sweep
 * every {@link #SWEEP_NANOS}. Steady state allocates nothing per request: exchanges are recycled,
 * request bytes are encoded once per template, backend names are interned.
 *
 * <p>In the open model the loop also owns a {@link Feed}: it takes the requests that are due
 * itself, on every wake-up, and sets its selector's timeout to the next one's time ({@link
 * Feed#millisUntil}), so a rate costs no thread hand-off and no wake-up per request; a busy loop,
 * woken by responses anyway, sends in batches.
 *
 * <p>Concurrency contract: everything but {@link #submit}, {@link #post} and {@link #stop} runs on
 * the loop thread (the feed is set through {@link #post}); those three may be called from any
 * thread.
 */
final class LeanLoop implements Runnable {
  /** How often timeouts are checked; the precision of every timeout. */
  static final long SWEEP_NANOS = 10_000_000L;

  private static final int READ_BUFFER = 64 * 1024;

  private final LeanTransport.Settings settings;
  private final int maxPerDestination;
  private final Selector selector;
  private final SubmitQueue queue;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // One instance for every select: a bound method reference built per call is an allocation and a
  // call-site link per wake-up.
  private final Consumer<SelectionKey> onReady = this::ready;
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final AtomicLong connectsOpened;
  private final byte[] readBytes = new byte[READ_BUFFER];
  private final ByteBuffer readBuffer = ByteBuffer.wrap(readBytes);
  private final BackendNames names = new BackendNames();
  private final IdentityHashMap<RequestTemplate, Target> targets = new IdentityHashMap<>();
  private final Map<String, Destination> destinations = new HashMap<>();
  private final List<Destination> destinationList = new ArrayList<>();
  private final List<Conn> connections = new ArrayList<>();
  private final ArrayDeque<Exchange> free = new ArrayDeque<>();
  private volatile boolean running = true;
  private long lastSweep;
  private Feed feed; // loop thread only
  Thread thread;

  LeanLoop(LeanTransport.Settings settings, int maxPerDestination, AtomicLong connectsOpened)
      throws IOException {
    this.settings = settings;
    this.maxPerDestination = maxPerDestination;
    this.connectsOpened = connectsOpened;
    this.selector = Selector.open();
    this.queue = new SubmitQueue(Math.max(settings.maxQueued, settings.connections));
  }

  /** Hands a request to this loop; false when its queue is full. Any thread. */
  boolean submit(RequestTemplate t, RunRecorder r, Completion c, long intended, long now) {
    if (!queue.offer(t, r, c, intended, now)) {
      return false;
    }
    wake();
    return true;
  }

  /** Runs a task on the loop thread (rare operations: warm-up). Any thread. */
  void post(Runnable task) {
    tasks.add(task);
    wake();
  }

  private void wake() {
    // The loop itself (a closed-model completion sending the next request) is awake already.
    if (Thread.currentThread() != thread && sleeping.get() && sleeping.compareAndSet(true, false)) {
      selector.wakeup();
    }
  }

  /** From now on, takes the open model's requests from {@code f} on this loop. Any thread. */
  void feed(Feed f) {
    post(() -> feed = f);
  }

  /** Asks the loop to end; it fails what is still in flight as aborted. Any thread. */
  void stop() {
    running = false;
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      lastSweep = settings.clock.getAsLong();
      while (running) {
        turn();
      }
    } catch (IOException e) {
      // A broken selector means a dying process: fail everything rather than hang the run.
      settings.err.println("error: lean transport loop failed: " + e);
    } catch (RuntimeException e) {
      // A bug: say so with its trace (the project's rule), then fail everything as above.
      settings.err.println(
          "error: lean transport loop failed (a bug in surge-loadgen; please report it with the"
              + " trace below): "
              + e);
      e.printStackTrace(settings.err);
    } finally {
      shutdown();
    }
  }

  /**
   * One turn of the loop: posted tasks, queued and due requests, connections to open, the timeout
   * sweep, then one select (blocking until the next due request at most). A method of its own, not
   * the body of {@link #run}'s loop, so that the JIT compiles it whole rather than only as an
   * on-stack replacement of a loop that never returns.
   */
  private void turn() throws IOException {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
    drainQueue();
    long now = settings.clock.getAsLong();
    takeDue(now);
    pump();
    if (now - lastSweep >= SWEEP_NANOS) {
      lastSweep = now;
      sweep(now);
    }
    long wait = SWEEP_NANOS / 1_000_000L;
    if (feed != null) {
      long due = feed.nextDue();
      if (due != Feed.NONE) {
        wait = Math.min(wait, Feed.millisUntil(due, settings.clock.getAsLong()));
      }
    }
    sleeping.set(true);
    if (wait > 0 && queue.isEmpty() && tasks.isEmpty() && running) {
      selector.select(onReady, wait);
    } else {
      selector.selectNow(onReady);
    }
    sleeping.set(false);
  }

  private void drainQueue() {
    while (queue.poll()) {
      dispatch(
          exchange(
              queue.template,
              queue.recorder,
              queue.completion,
              queue.polledIntended,
              queue.polledQueuedAt));
    }
  }

  /** Sends every request of the feed that is due by {@code now}, as one batch. */
  private void takeDue(long now) {
    Feed f = feed;
    if (f == null) {
      return;
    }
    long due;
    while ((due = f.nextDue()) != Feed.NONE && due - now <= 0) {
      RequestTemplate t = f.take(now);
      if (t != null) {
        dispatch(exchange(t, f.recorder(), Completion.NONE, due, now));
      }
    }
  }

  /** A recycled exchange for one request. */
  private Exchange exchange(
      RequestTemplate t, RunRecorder r, Completion c, long intended, long queuedAt) {
    Exchange x = free.pollFirst();
    if (x == null) {
      x = new Exchange();
    }
    x.recorder = r;
    x.completion = c;
    x.intended = intended;
    // 0 means no timeout (Jetty's meaning of the same setting).
    x.deadline =
        settings.requestTimeoutNanos > 0 ? queuedAt + settings.requestTimeoutNanos : Long.MAX_VALUE;
    x.begin = 0;
    x.target = target(t);
    return x;
  }

  private Target target(RequestTemplate t) {
    Target target = targets.get(t);
    if (target == null) {
      URI u = t.uri();
      int port = u.getPort() > 0 ? u.getPort() : 80;
      String host = u.getHost();
      String key = host.toLowerCase(Locale.ROOT) + ":" + port;
      Destination d = destinations.get(key);
      if (d == null) {
        // An IPv6 literal comes bracketed from URI.getHost.
        String bare =
            host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
        d = new Destination(bare, port, maxPerDestination);
        destinations.put(key, d);
        destinationList.add(d);
      }
      target =
          new Target(d, RequestEncoder.encode(t, settings.userAgent), "HEAD".equals(t.method()));
      targets.put(t, target);
    }
    return target;
  }

  private void dispatch(Exchange x) {
    Destination d = x.target.destination;
    Conn c = d.idle.pollFirst();
    if (c != null) {
      start(c, x);
    } else {
      d.pending.addLast(x);
    }
  }

  /** Opens connections for waiting requests, within each destination's share. */
  private void pump() {
    for (int i = 0; i < destinationList.size(); i++) {
      Destination d = destinationList.get(i);
      while (d.pending.size() > d.connecting && d.open < d.max) {
        open(d, null);
      }
    }
  }

  private void open(Destination d, CountDownLatch warm) {
    SocketChannel ch = null;
    Conn c = null;
    try {
      InetSocketAddress addr = new InetSocketAddress(d.host, d.port);
      if (addr.isUnresolved()) {
        throw new UnknownHostException(d.host);
      }
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c = new Conn(ch, d, warm);
      c.connectDeadline =
          settings.connectTimeoutNanos > 0
              ? settings.clock.getAsLong() + settings.connectTimeoutNanos
              : Long.MAX_VALUE;
      d.open++;
      d.connecting++;
      c.index = connections.size();
      connections.add(c);
      connectsOpened.incrementAndGet();
      boolean done = ch.connect(addr);
      c.key = ch.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
      if (done) {
        connected(c);
      }
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        connectFailed(c, ErrorKind.classify(e));
      } else {
        closeQuietly(ch);
        failOldest(d, ErrorKind.classify(e));
        if (warm != null) {
          warm.countDown();
        }
      }
    }
  }

  private void connected(Conn c) {
    c.state = Conn.IDLE;
    c.destination.connecting--;
    c.createdAt = settings.clock.getAsLong();
    if (c.warm != null) {
      c.warm.countDown();
      c.warm = null;
    }
    next(c, c.createdAt);
  }

  private void connectFailed(Conn c, ErrorKind kind) {
    if (c.warm != null) {
      c.warm.countDown();
      c.warm = null;
    }
    remove(c);
    // The request that asked for this connection (the oldest waiting) learns why.
    failOldest(c.destination, kind);
  }

  private void failOldest(Destination d, ErrorKind kind) {
    Exchange x = d.pending.pollFirst();
    if (x != null) {
      fail(x, kind, settings.clock.getAsLong());
    }
  }

  /**
   * Gives an idle connection the next waiting request, or parks it in the idle list ({@code now}:
   * the caller's clock reading, the start of its idle time).
   */
  private void next(Conn c, long now) {
    Exchange x = c.destination.pending.pollFirst();
    if (x != null) {
      start(c, x);
    } else {
      c.state = Conn.IDLE;
      c.idleSince = now;
      c.destination.idle.addLast(c);
    }
  }

  private void start(Conn c, Exchange x) {
    c.state = Conn.BUSY;
    c.exchange = x;
    c.parser.reset(x.target.head);
    byte[] bytes = x.target.bytes;
    if (c.write.capacity() < bytes.length) {
      c.write = ByteBuffer.allocate(bytes.length);
    }
    c.write.clear();
    c.write.put(bytes).flip();
    x.begin = settings.clock.getAsLong();
    write(c);
  }

  private void write(Conn c) {
    try {
      c.channel.write(c.write);
      int ops =
          c.write.hasRemaining()
              ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
              : SelectionKey.OP_READ;
      if (c.key.interestOps() != ops) {
        c.key.interestOps(ops);
      }
    } catch (IOException e) {
      failConnection(c, ErrorKind.classify(e));
    }
  }

  private void ready(SelectionKey key) {
    Conn c = (Conn) key.attachment();
    if (!key.isValid()) {
      return;
    }
    int ops = key.readyOps();
    if ((ops & SelectionKey.OP_CONNECT) != 0) {
      try {
        if (c.channel.finishConnect()) {
          key.interestOps(SelectionKey.OP_READ);
          connected(c);
        }
      } catch (IOException e) {
        connectFailed(c, connectKind(e));
      }
      return;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0 && c.state == Conn.BUSY) {
      write(c);
    }
    if ((ops & SelectionKey.OP_READ) != 0 && c.state != Conn.CLOSED) {
      read(c);
    }
  }

  private static ErrorKind connectKind(IOException e) {
    ErrorKind k = ErrorKind.classify(e);
    // A refused connect on some systems surfaces as a plain IOException without the JDK's type.
    return k == ErrorKind.OTHER || k == ErrorKind.RESET
        ? ErrorKind.classify(new ConnectException(e.getMessage()))
        : k;
  }

  private void read(Conn c) {
    ByteBuffer buf = readBuffer;
    while (true) {
      buf.clear();
      int n;
      try {
        n = c.channel.read(buf);
      } catch (IOException e) {
        failConnection(c, ErrorKind.classify(e));
        return;
      }
      if (n < 0) {
        if (c.state == Conn.BUSY && c.parser.endOfInput()) {
          complete(c, false);
        } else {
          failConnection(c, ErrorKind.RESET);
        }
        return;
      }
      if (n == 0) {
        return;
      }
      if (c.state != Conn.BUSY) {
        // Bytes nobody asked for: the connection cannot be trusted with another request.
        remove(c);
        return;
      }
      int used;
      try {
        used = c.parser.feed(readBytes, 0, n);
      } catch (ResponseParser.BadResponse e) {
        failConnection(c, ErrorKind.OTHER);
        return;
      }
      if (c.parser.complete()) {
        complete(c, used < n);
        return;
      }
      if (n < buf.capacity()) {
        return; // level-triggered: the selector reports the rest when it arrives
      }
    }
  }

  private void complete(Conn c, boolean extraBytes) {
    long end = settings.clock.getAsLong();
    Exchange x = c.exchange;
    c.exchange = null;
    ResponseParser p = c.parser;
    x.recorder.response(
        p.status(), names.name(p.backend(), p.backendLength()), x.intended, x.begin, end);
    boolean reuse =
        p.keepAlive()
            && !extraBytes
            && (settings.maxConnectionAgeNanos <= 0
                || end - c.createdAt < settings.maxConnectionAgeNanos);
    Completion done = x.completion;
    release(x);
    if (reuse) {
      next(c, end);
    } else {
      remove(c);
    }
    done.completed();
  }

  private void failConnection(Conn c, ErrorKind kind) {
    Exchange x = c.exchange;
    c.exchange = null;
    remove(c);
    if (x != null) {
      fail(x, kind, settings.clock.getAsLong());
    }
  }

  private void fail(Exchange x, ErrorKind kind, long now) {
    x.recorder.failure(kind, x.intended, x.begin, now);
    Completion done = x.completion;
    release(x);
    done.completed();
  }

  private void release(Exchange x) {
    x.target = null;
    x.recorder = null;
    x.completion = null;
    free.addFirst(x);
  }

  /** Closes a connection and forgets it (its exchange, if any, is the caller's business). */
  private void remove(Conn c) {
    if (c.state == Conn.CLOSED) {
      return;
    }
    Destination d = c.destination;
    if (c.state == Conn.CONNECTING) {
      d.connecting--;
    } else if (c.state == Conn.IDLE) {
      d.idle.remove(c);
    }
    c.state = Conn.CLOSED;
    d.open--;
    int last = connections.size() - 1;
    Conn moved = connections.get(last);
    connections.set(c.index, moved);
    moved.index = c.index;
    connections.remove(last);
    if (c.key != null) {
      c.key.cancel();
    }
    closeQuietly(c.channel);
  }

  private void sweep(long now) {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (i >= connections.size()) {
        continue;
      }
      Conn c = connections.get(i);
      switch (c.state) {
        case Conn.CONNECTING -> {
          if (c.connectDeadline != Long.MAX_VALUE && now - c.connectDeadline > 0) {
            connectFailed(c, ErrorKind.CONNECT_TIMEOUT);
          }
        }
        case Conn.BUSY -> {
          if (c.exchange.deadline != Long.MAX_VALUE && now - c.exchange.deadline > 0) {
            failConnection(c, ErrorKind.TIMEOUT);
          }
        }
        case Conn.IDLE -> {
          if (settings.idleTimeoutNanos > 0 && now - c.idleSince > settings.idleTimeoutNanos) {
            remove(c);
          }
        }
        default -> {}
      }
    }
    for (int i = 0; i < destinationList.size(); i++) {
      ArrayDeque<Exchange> pending = destinationList.get(i).pending;
      Exchange x;
      while ((x = pending.peekFirst()) != null
          && x.deadline != Long.MAX_VALUE
          && now - x.deadline > 0) {
        pending.pollFirst();
        fail(x, ErrorKind.TIMEOUT, now);
      }
    }
  }

  /** Opens up to {@code n} connections to the URI's destination; counts each one down. */
  void warm(URI uri, int n, CountDownLatch latch) {
    Destination d = target(RequestTemplate.get(uri.toString())).destination;
    int opened = 0;
    while (opened < n && d.open < d.max) {
      open(d, latch);
      opened++;
    }
    for (; opened < n; opened++) {
      latch.countDown();
    }
  }

  private void shutdown() {
    long now = settings.clock.getAsLong();
    for (int i = connections.size() - 1; i >= 0; i--) {
      Conn c = connections.get(i);
      if (c.warm != null) {
        c.warm.countDown();
      }
      failConnection(c, ErrorKind.ABORTED);
    }
    for (Destination d : destinationList) {
      Exchange x;
      while ((x = d.pending.pollFirst()) != null) {
        fail(x, ErrorKind.ABORTED, now);
      }
    }
    while (queue.poll()) {
      queue.recorder.failure(ErrorKind.ABORTED, queue.polledIntended, 0, now);
    }
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      // Closing is all that was left to do with it.
    }
  }

  /** A template resolved for this loop: where it goes and its bytes. */
  private record Target(Destination destination, byte[] bytes, boolean head) {}

  /** One host:port: its connections (idle ones listed) and the requests waiting for one. */
  private static final class Destination {
    final String host;
    final int port;
    final int max;
    final ArrayDeque<Conn> idle = new ArrayDeque<>();
    final ArrayDeque<Exchange> pending = new ArrayDeque<>();
    int open;
    int connecting;

    Destination(String host, int port, int max) {
      this.host = host;
      this.port = port;
      this.max = max;
    }
  }

  /** One request in the loop; recycled. */
  private static final class Exchange {
    Target target;
    RunRecorder recorder;
    Completion completion;
    long intended;
    long deadline;
    long begin;
  }

  /** One connection and its parser. */
  private static final class Conn {
    static final int CONNECTING = 0;
    static final int IDLE = 1;
    static final int BUSY = 2;
    static final int CLOSED = 3;

    final SocketChannel channel;
    final Destination destination;
    final ResponseParser parser = new ResponseParser();
    CountDownLatch warm;
    SelectionKey key;
    ByteBuffer write = ByteBuffer.allocate(512);
    Exchange exchange;
    int state = CONNECTING;
    int index;
    long connectDeadline;
    long createdAt;
    long idleSince;

    Conn(SocketChannel channel, Destination destination, CountDownLatch warm) {
      this.channel = channel;
      this.destination = destination;
      this.warm = warm;
    }
  }
}
