package dev.surge.systest.stack;

import dev.surge.testkit.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A Prometheus-style server binary of a test (Prometheus, Alertmanager): run in its own temporary
 * directory (its config and storage), on a free loopback port, ready when {@code /-/ready} answers
 * 200; {@link #close()} stops it and deletes the directory.
 */
final class ServerProcess implements AutoCloseable {
  /** Writes a server's files (config, rules) into its directory. */
  @FunctionalInterface
  interface DirWriter {
    void writeTo(Path dir) throws IOException;
  }

  private final Path dir;
  private final int port;
  private final ChildProcess process;

  private ServerProcess(Path dir, int port, ChildProcess process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Creates a temporary directory, writes the server's files into it with {@code files}, then
   * starts {@code command.apply(dir)} (the binary and its flags) there with {@code
   * --web.listen-address} on a free loopback port and {@code --log.level=warn}, and waits up to
   * {@code startup} for {@code /-/ready}. When it does not become ready it is stopped, the
   * directory deleted, and the failure names {@code title} and shows the output.
   */
  static ServerProcess start(
      String title, DirWriter files, Function<Path, List<String>> command, Duration startup) {
    String name = title.toLowerCase(Locale.ROOT);
    Path dir;
    try {
      dir = Files.createTempDirectory("surge-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + title, e);
    }
    ChildProcess process;
    int port;
    try {
      files.writeTo(dir);
      port = FreePort.find();
      List<String> full = new ArrayList<>(command.apply(dir));
      full.add("--web.listen-address=127.0.0.1:" + port);
      full.add("--log.level=warn");
      process = ChildProcess.start(name, full, dir, Map.of());
    } catch (IOException e) {
      TempDirs.deleteQuietly(dir);
      throw new UncheckedIOException("cannot write the " + title + " config", e);
    } catch (RuntimeException | Error e) {
      TempDirs.deleteQuietly(dir);
      throw e;
    }
    ServerProcess server = new ServerProcess(dir, port, process);
    try {
      server.process.awaitHttpOk(title + " /-/ready on port " + port, port, "/-/ready", startup);
    } catch (RuntimeException | Error e) {
      server.close();
      throw new AssertionError(title + " did not become ready: " + server.describe(), e);
    }
    return server;
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
      TempDirs.deleteQuietly(dir);
    }
  }
}
