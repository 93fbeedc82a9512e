package dev.surge.cluster.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A Prometheus-style server binary (Prometheus, Alertmanager): run in its directory (its config and
 * storage), on a free loopback port, ready when {@code /-/ready} answers 200. Neither binary can
 * report a port it bound on 0, so a free port is chosen and, should another process take it first,
 * the start is retried on another one. {@link #close()} stops it and deletes the directory when it
 * was a temporary one.
 */
final class ServerProcess implements AutoCloseable {
  /** Writes a server's files (config, rules) into its directory. */
  @FunctionalInterface
  interface DirWriter {
    void writeTo(Path dir) throws IOException;
  }

  private static final int ATTEMPTS = 3;

  private final Path dir;
  private final boolean temporary;
  private final int port;
  private final ChildProcess process;

  private ServerProcess(Path dir, boolean temporary, int port, ChildProcess process) {
    this.dir = dir;
    this.temporary = temporary;
    this.port = port;
    this.process = process;
  }

  /**
   * Writes the server's files into {@code dir} (a new temporary directory when null, deleted on
   * close), starts {@code command.apply(dir)} with {@code --web.listen-address} on a free loopback
   * port and {@code --log.level=warn}, and waits up to {@code startup} for {@code /-/ready}.
   *
   * @throws IllegalStateException naming {@code title} with the output when it does not become
   *     ready (nothing is left running)
   */
  static ServerProcess start(
      String title,
      Path dir,
      DirWriter files,
      Function<Path, List<String>> command,
      Duration startup) {
    String name = title.toLowerCase(Locale.ROOT);
    boolean temporary = dir == null;
    Path where;
    try {
      where = temporary ? Files.createTempDirectory("surge-" + name) : dir;
      Files.createDirectories(where);
      files.writeTo(where);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + title + " config in " + dir, e);
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = freePort();
      List<String> full = new ArrayList<>(command.apply(where));
      full.add("--web.listen-address=127.0.0.1:" + port);
      full.add("--log.level=warn");
      ChildProcess process;
      try {
        process = ChildProcess.start(name, full, where, Map.of());
      } catch (RuntimeException e) {
        cleanUp(temporary, where);
        throw e;
      }
      ServerProcess server = new ServerProcess(where, temporary, port, process);
      try {
        process.awaitHttpOk(title + " /-/ready on port " + port, port, "/-/ready", startup);
        return server;
      } catch (IllegalStateException e) {
        String output = process.output();
        process.close();
        last = new IllegalStateException(title + " did not become ready: " + e.getMessage(), e);
        if (!output.contains("address already in use")) {
          break;
        }
      }
    }
    cleanUp(temporary, where);
    throw last;
  }

  private static void cleanUp(boolean temporary, Path dir) {
    if (temporary) {
      TempDirs.deleteQuietly(dir);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /** The port the server listens on (127.0.0.1). */
  int port() {
    return port;
  }

  /** The server's directory (config and storage). */
  Path dir() {
    return dir;
  }

  /** The process, its command line and output (for failure messages). */
  String describe() {
    return process.describe();
  }

  @Override
  public void close() {
    try {
      process.close();
    } finally {
      cleanUp(temporary, dir);
    }
  }
}
