package dev.surge.loadgen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 port 0 for transport tests: it reads request heads (GET/HEAD,
 * no bodies) and answers each with whatever bytes its {@link Behaviour} returns, so tests can send
 * malformed, split, chunked or truncated responses that a real server would not. Counts connections
 * and requests. One thread per connection; {@link #close} closes everything.
 */
public final class RawHttpServer implements AutoCloseable {
  /** What to do with request {@code n} (0-based, over the whole server). */
  public interface Behaviour {
    /**
     * The answer: bytes to write (in pieces, flushed one by one), then whether to close.
     *
     * @param request the request head as text
     */
    Answer answer(long n, String request);
  }

  /** Bytes written piece by piece; {@code close}: close the connection afterwards. */
  public record Answer(List<byte[]> pieces, boolean close) {
    /** One piece of text, connection kept. */
    public static Answer of(String text) {
      return new Answer(List.of(text.getBytes(StandardCharsets.ISO_8859_1)), false);
    }

    /** Text, then close. */
    public static Answer thenClose(String text) {
      return new Answer(List.of(text.getBytes(StandardCharsets.ISO_8859_1)), true);
    }

    /** Nothing at all, connection held open (a server that never answers). */
    public static Answer never() {
      return new Answer(null, false);
    }

    /** Each byte flushed on its own. */
    public static Answer byteByByte(String text) {
      byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
      List<byte[]> pieces = new java.util.ArrayList<>();
      for (byte x : b) {
        pieces.add(new byte[] {x});
      }
      return new Answer(pieces, false);
    }
  }

  /** A plain 200 with a body and a backend name. */
  public static final String OK =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Surge-Instance: raw\r\n\r\nok";

  private final ServerSocket server;
  private final Behaviour behaviour;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public RawHttpServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::accept, "raw-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  public int connections() {
    return connections.get();
  }

  public long requests() {
    return requests.get();
  }

  private void accept() {
    while (true) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.incrementAndGet();
      sockets.add(s);
      Thread t = new Thread(() -> serve(s), "raw-http-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        head.append((char) c);
        if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
          Answer a = behaviour.answer(requests.getAndIncrement(), head.toString());
          head.setLength(0);
          if (a.pieces() == null) {
            continue; // never answer; keep reading (the client will give up)
          }
          for (byte[] p : a.pieces()) {
            out.write(p);
            out.flush();
          }
          if (a.close()) {
            return;
          }
        }
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
