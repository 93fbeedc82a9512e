package dev.surge.loadgen.ui;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server-sent-event stream of one run: every frame ({@code event: NAME}, {@code data: JSON}) is
 * kept in the history and offered to each connected client's queue. A client that connects late
 * first receives the whole history, then the live frames; a client whose queue is full (a stalled
 * or slow browser) is dropped at once, its queue emptied, rather than buffered without bound; the
 * {@code end} frame is the last one, and a client's stream ends after it.
 *
 * <p>Concurrency: {@link #broadcast} is called by the publishing thread and never blocks (queues
 * are offered to, not put into); {@link #stream} is called by one HTTP thread per client and blocks
 * that thread only. The history and the client set are guarded by this object's lock.
 *
 * <p>Bounds: a client's queue holds {@code clientQueue} frames; the history at most {@value
 * #MAX_HISTORY_BYTES} bytes (beyond it the oldest frames after the first, the run's description,
 * are left out and {@link #trimmed()} counts them).
 */
final class SseHub {
  static final int MAX_HISTORY_BYTES = 32 << 20;
  private static final long PING_SECONDS = 15;
  private static final byte[] RETRY = "retry: 3000\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVICTED = new byte[0];

  private final int clientQueue;
  private final Deque<byte[]> history = new ArrayDeque<>();
  private final Set<Client> clients = new LinkedHashSet<>();
  private byte[] first;
  private byte[] endFrame;
  private long historyBytes;
  private long trimmed;
  private long evictions;

  /**
   * @param clientQueue frames a client may lag behind before it is dropped
   */
  SseHub(int clientQueue) {
    if (clientQueue < 1) {
      throw new IllegalArgumentException("clientQueue must be >= 1, got " + clientQueue);
    }
    this.clientQueue = clientQueue;
  }

  /** One SSE frame. {@code json} must be one line (Jackson's compact output is). */
  static byte[] frame(String event, String json) {
    return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Adds a frame to the history and to every client's queue; ignored after {@link #end}. */
  synchronized void broadcast(String event, String json) {
    if (endFrame != null) {
      return;
    }
    add(frame(event, json));
  }

  /** Sends the last frame: clients receive it and their streams end. Idempotent. */
  synchronized void end(String json) {
    if (endFrame != null) {
      return;
    }
    endFrame = frame("end", json);
    add(endFrame);
  }

  private void add(byte[] f) {
    if (first == null) {
      first = f;
    } else {
      history.addLast(f);
      historyBytes += f.length;
      while (historyBytes > MAX_HISTORY_BYTES && history.size() > 1) {
        historyBytes -= history.removeFirst().length;
        trimmed++;
      }
    }
    List<Client> lagging = new ArrayList<>();
    for (Client c : clients) {
      if (!c.queue.offer(f)) {
        lagging.add(c);
      }
    }
    for (Client c : lagging) {
      // Dropped, not buffered: the frames it missed are gone from its queue; its writer ends at
      // the marker (or when its blocked write fails as the server closes the connection).
      c.queue.clear();
      c.queue.offer(EVICTED);
      clients.remove(c);
      evictions++;
    }
  }

  /**
   * Writes the history and then the live frames to {@code out} until the end frame, an eviction, an
   * I/O error (the browser went away) or an interrupt (the server stops).
   */
  void stream(OutputStream out) throws IOException {
    List<byte[]> snapshot = new ArrayList<>();
    Client c;
    synchronized (this) {
      if (first != null) {
        snapshot.add(first);
      }
      snapshot.addAll(history);
      c = endFrame == null ? new Client(new ArrayBlockingQueue<>(clientQueue)) : null;
      if (c != null) {
        clients.add(c);
      }
    }
    try {
      out.write(RETRY);
      for (byte[] f : snapshot) {
        out.write(f);
      }
      out.flush();
      if (c == null) {
        return; // the run has ended: the history (with its end frame) is all there is
      }
      while (true) {
        byte[] f = c.queue.poll(PING_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
          out.write(PING);
        } else if (f == EVICTED) {
          return;
        } else {
          out.write(f);
        }
        out.flush();
        if (f != null && f == endFrameOrNull()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (c != null) {
        synchronized (this) {
          clients.remove(c);
        }
      }
    }
  }

  private synchronized byte[] endFrameOrNull() {
    return endFrame;
  }

  /** Clients connected and not dropped. */
  synchronized int clients() {
    return clients.size();
  }

  /** Clients dropped because their queue was full. */
  synchronized long evictions() {
    return evictions;
  }

  /** Frames left out of the history because it was full. */
  synchronized long trimmed() {
    return trimmed;
  }

  /** Frames in the history, the end frame included. */
  synchronized int historySize() {
    return history.size() + (first == null ? 0 : 1);
  }

  /** Whether the end frame was sent. */
  synchronized boolean ended() {
    return endFrame != null;
  }

  private record Client(BlockingQueue<byte[]> queue) {}
}
