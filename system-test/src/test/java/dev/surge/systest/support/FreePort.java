package dev.surge.systest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port that was free a moment ago, for a child process that needs a number up front (Prometheus'
 * {@code --web.listen-address}). Prefer port 0 wherever the process can report what it bound.
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
