package dev.surge.loadgen.client;

import dev.surge.loadgen.record.ErrorKind;
import dev.surge.loadgen.record.RunRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The lean HTTP/1.1 transport for plain {@code http://} targets, shaped like wrk: a few event-loop
 * threads ({@link LeanLoop}), each with its own selector and share of the connections, pre-encoded
 * request bytes, and a response parser that reads only what a load test needs ({@link
 * ResponseParser}). It costs a fraction of Jetty's {@code HttpClient} per request, which matters
 * when the generator shares cores with its target (docs/BENCHMARKS.md, Loadgen).
 *
 * <p>{@link #send} may be called from any thread; outcomes are recorded on the loop threads.
 * Starting opens the loops' selectors and threads; {@link #close} stops them in reverse and fails
 * whatever is still in flight as {@link ErrorKind#ABORTED}.
 */
final class LeanTransport implements AutoCloseable {
  /** The settings of {@link LoadClient.Builder}, in the units the loops use. */
  static final class Settings {
    int connections;
    int loops;
    int maxQueued;
    long idleTimeoutNanos;
    long connectTimeoutNanos;
    long requestTimeoutNanos;
    long maxConnectionAgeNanos;
    String userAgent;
    LongSupplier clock;
    PrintStream err = System.err;
  }

  private final Settings settings;
  private final LeanLoop[] loops;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong connectsOpened = new AtomicLong();
  private volatile boolean closed;

  LeanTransport(Settings s) {
    this.settings = s;
    int n = Math.max(1, Math.min(s.loops, s.connections));
    loops = new LeanLoop[n];
    try {
      for (int i = 0; i < n; i++) {
        int share = s.connections / n + (i < s.connections % n ? 1 : 0);
        LeanLoop loop = new LeanLoop(s, share, connectsOpened);
        Thread t = new Thread(loop, "surge-loadgen-lean-" + i);
        t.setDaemon(true);
        loop.thread = t;
        loops[i] = loop;
        t.start();
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
    }
  }

  /** Sends one request; its outcome goes to the recorder, then {@code done} runs. */
  void send(RequestTemplate t, long intendedNanos, RunRecorder recorder, Completion done) {
    long now = settings.clock.getAsLong();
    if (closed) {
      recorder.failure(ErrorKind.ABORTED, intendedNanos, 0, now);
      return;
    }
    LeanLoop loop = null;
    Thread me = Thread.currentThread();
    for (LeanLoop l : loops) {
      if (l.thread == me) {
        loop = l; // the closed model's next request stays on its loop
      }
    }
    if (loop == null) {
      loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }
    if (!loop.submit(t, recorder, done, intendedNanos, now)) {
      recorder.failure(ErrorKind.CLIENT_QUEUE_FULL, intendedNanos, 0, now);
    }
  }

  /** Hands loop {@code i} (0 to {@link #loops()} - 1) the open model's requests to send itself. */
  void feed(int i, Feed f) {
    loops[i].feed(f);
  }

  /** Opens up to {@code perTarget} connections to each target (split over the loops) and waits. */
  void warmUp(Collection<URI> targets, int perTarget) {
    int per = Math.max(1, perTarget / loops.length);
    CountDownLatch latch = new CountDownLatch(targets.size() * per * loops.length);
    for (URI u : targets) {
      for (LeanLoop l : loops) {
        l.post(() -> l.warm(u, per, latch));
      }
    }
    try {
      var unused = latch.await(settings.connectTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** TCP connections opened since start (tests: keep-alive reuse, recycling). */
  long connectionsOpened() {
    return connectsOpened.get();
  }

  /** Event-loop threads. */
  int loops() {
    return loops.length;
  }

  @Override
  public void close() {
    closed = true;
    for (int i = loops.length - 1; i >= 0; i--) {
      if (loops[i] != null) {
        loops[i].stop();
      }
    }
    for (int i = loops.length - 1; i >= 0; i--) {
      if (loops[i] != null && loops[i].thread != null) {
        try {
          loops[i].thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
