package dev.surge.cluster.prometheus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running child process (Prometheus, Alertmanager, the load generator): its output (stdout
 * and stderr merged) kept for failure messages, and stopped on {@link #close()} with SIGTERM and,
 * after a grace period, SIGKILL. It runs under a small {@code sh} watchdog that ends it when this
 * JVM is gone, even when the JVM was killed outright, so no server outlives the lab or a test.
 *
 * <p>Thread-safety: any thread may call any method; the output is appended by a daemon thread.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final int KEEP_CHARS = 64_000;

  /** Runs "$0" "$@" and ends it when the JVM (SURGE_PARENT_PID) is gone or on SIGTERM. */
  private static final String WATCHDOG =
      "\"$0\" \"$@\" & p=$!; trap 'kill $p 2>/dev/null; wait $p; exit 0' TERM INT;"
          + " while kill -0 \"$SURGE_PARENT_PID\" 2>/dev/null && kill -0 $p 2>/dev/null;"
          + " do sleep 1; done; kill $p 2>/dev/null; wait $p";

  private final String name;
  private final List<String> command;
  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private final Thread pump;

  private ChildProcess(String name, List<String> command, Process process) {
    this.name = name;
    this.command = List.copyOf(command);
    this.process = process;
    this.pump = new Thread(this::readOutput, "surge-child-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code command} in {@code workDir} with extra environment variables.
   *
   * @throws UncheckedIOException naming the process when it cannot be started
   */
  public static ChildProcess start(
      String name, List<String> command, Path workDir, Map<String, String> env) {
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c", WATCHDOG));
    wrapped.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(wrapped).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SURGE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      return new ChildProcess(name, command, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  private void readOutput() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        append(line);
      }
    } catch (IOException e) {
      append("[output unreadable: " + e.getMessage() + "]");
    }
  }

  private synchronized void append(String line) {
    output.append(line).append('\n');
    if (output.length() > 2 * KEEP_CHARS) {
      output.delete(0, output.length() - KEEP_CHARS);
    }
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits up to {@code timeout} for the exit; true when it exited. */
  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits up to {@code atMost} until {@code GET path} on loopback {@code port} answers 200 (a
   * server's readiness), polling every 200 ms.
   *
   * @throws IllegalStateException with {@link #describe()} when the process exits first or the
   *     deadline passes
   */
  public void awaitHttpOk(String what, int port, String path, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      if (!isAlive()) {
        throw new IllegalStateException(what + ": the process exited: " + describe());
      }
      try {
        if (LocalHttp.get(port, path).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet: poll again until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + ": not answering within " + atMost.toSeconds() + "s: " + describe());
      }
      try {
        Thread.sleep(200); // polling a child's readiness, bounded by the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + ": interrupted", e);
      }
    }
  }

  /** Everything printed so far (the last 64 000 characters at least). */
  public synchronized String output() {
    return output.toString();
  }

  /** The command line and the output, for messages. */
  public String describe() {
    String out = output();
    return name
        + " ("
        + String.join(" ", command)
        + ")"
        + (process.isAlive() ? "" : " exited " + process.exitValue())
        + ", output:\n"
        + (out.length() <= 8000 ? out : "..." + out.substring(out.length() - 8000));
  }

  /** Stops the process (SIGTERM, then SIGKILL after 15 s). Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(GRACE)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(GRACE);
      }
    }
    try {
      pump.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
