package dev.surge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port that was free a moment ago (bound on 0 and released), only for a child process that must
 * be told a number up front and cannot report what it bound (Prometheus' {@code
 * --web.listen-address}, a distributed run's {@code --peers}). Prefer port 0 and reading the bound
 * port back wherever the process can report it.
 *
 * <pre>{@code
 * int port = FreePort.find();
 * }</pre>
 */
public final class FreePort {
  private FreePort() {}

  /** Binds port 0 on the loopback address, returns the port the OS chose and releases it. */
  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an ephemeral port", e);
    }
  }
}
