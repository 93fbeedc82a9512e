package dev.surge.loadgen.client;

import dev.surge.loadgen.record.RunRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Warms the generator's own request path (the transport's send and parse, the response handling,
 * the recorder; for the open model on the lean transport also the loops' own feed) before a run,
 * against a throwaway HTTP/1.1 server on the loopback interface inside this process. Without it the
 * first second of a schedule is sent by interpreted code: at a few thousand requests per second the
 * generator falls behind, and the in-flight cap drops requests that a warm generator would have
 * sent. The target gets no traffic from this, and the run's recorder sees none of it.
 *
 * <p>A few hundred requests are enough: what matters is that every method of the path has run past
 * the first compiler's threshold (a few hundred calls) and that its classes are loaded; the
 * optimising compiler takes over within the run's first second anyway, and every warm-up request
 * costs CPU that a short run pays in full.
 *
 * <pre>{@code
 * long done = JitWarmUp.run(client, 1000, 16, 3000); // responses completed within 3 s
 * long fed = JitWarmUp.run((t, rec, deadline) -> sendOnTheLoops(t, rec, deadline), 3000);
 * }</pre>
 */
public final class JitWarmUp {
  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
              + LoadClient.INSTANCE_HEADER
              + ": warm-up\r\n\r\nok")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};

  private JitWarmUp() {}

  /** Sends the warm-up's requests; the outcomes go to the recorder it is given. */
  @FunctionalInterface
  public interface Sender {
    /**
     * Sends requests for {@code t} (the loopback server's URL), each counted with {@link
     * RunRecorder#sent} or {@link RunRecorder#dropped} on {@code rec}, until done or until {@code
     * deadlineNanos} ({@link System#nanoTime()}); the caller waits for the responses.
     */
    void send(RequestTemplate t, RunRecorder rec, long deadlineNanos);
  }

  /**
   * Sends {@code requests} GETs with at most {@code maxInFlight} outstanding through {@link
   * LoadClient#send}, and waits for their responses, for at most {@code budgetMillis} in all.
   *
   * @return the number of responses that completed with status 200 (0 if the loopback server could
   *     not start)
   */
  public static long run(LoadClient client, int requests, int maxInFlight, long budgetMillis) {
    return run(
        (t, rec, deadline) -> {
          for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            while (rec.inFlight() >= maxInFlight && System.nanoTime() < deadline) {
              LockSupport.parkNanos(100_000L);
            }
            long now = System.nanoTime();
            rec.sent(now, now);
            client.send(t, now, rec);
          }
        },
        budgetMillis);
  }

  /**
   * Lets {@code sender} send its requests to the loopback server and waits for their responses, for
   * at most {@code budgetMillis} in all.
   *
   * @return the number of responses that completed with status 200 (0 if the loopback server could
   *     not start)
   */
  public static long run(Sender sender, long budgetMillis) {
    List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      daemon(() -> accept(server, accepted), "surge-loadgen-warmup").start();
      RequestTemplate t = RequestTemplate.get("http://127.0.0.1:" + port + "/warm-up");
      RunRecorder rec = new RunRecorder();
      long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
      if (budgetMillis > 0) {
        sender.send(t, rec, deadline);
      }
      while (rec.inFlight() > 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000L);
      }
      return rec.snapshot(0, 0, 0).statusCodes().getOrDefault("200", 0L);
    } catch (IOException e) {
      // Warming up is only an optimisation: the run goes ahead cold.
      return 0;
    } finally {
      // Closing the server side makes the client drop its idle warm-up connections now, not at its
      // idle timeout.
      for (SocketChannel c : accepted) {
        closeQuietly(c);
      }
    }
  }

  private static void accept(ServerSocketChannel server, List<SocketChannel> accepted) {
    while (true) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        return; // closed: the warm-up is over
      }
      accepted.add(c);
      daemon(() -> serve(c), "surge-loadgen-warmup-conn").start();
    }
  }

  /**
   * Answers every request on one connection with the canned response (GETs only: a request ends
   * with its headers).
   */
  private static void serve(SocketChannel c) {
    ByteBuffer in = ByteBuffer.allocate(8192);
    int matched = 0;
    try {
      while (c.read(in) >= 0) {
        in.flip();
        int complete = 0;
        while (in.hasRemaining()) {
          byte b = in.get();
          if (b == END_OF_HEADERS[matched]) {
            matched++;
          } else {
            matched = b == '\r' ? 1 : 0;
          }
          if (matched == END_OF_HEADERS.length) {
            complete++;
            matched = 0;
          }
        }
        in.clear();
        for (int i = 0; i < complete; i++) {
          ByteBuffer out = ByteBuffer.wrap(RESPONSE);
          while (out.hasRemaining()) {
            c.write(out);
          }
        }
      }
    } catch (IOException e) {
      // The client or the warm-up closed the connection.
    } finally {
      closeQuietly(c);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // Nothing left to do with a connection that will not close.
    }
  }
}
