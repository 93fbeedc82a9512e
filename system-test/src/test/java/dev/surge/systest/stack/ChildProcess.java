package dev.surge.systest.stack;

import static org.awaitility.Awaitility.await;

import dev.surge.systest.support.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A long-running child process of a test (Prometheus, Alertmanager, the load generator): started
 * with its output (stdout and stderr merged) kept for failure messages, stopped on {@link #close()}
 * with SIGTERM and, after a grace period, SIGKILL — so that no test leaves a process behind.
 */
final class ChildProcess implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final String name;
  private final List<String> command;
  private final Process process;

  @SuppressWarnings(
      "JdkObsolete") // appended by the output pump thread, read by the test thread: needs the
  // locking
  private final StringBuffer output = new StringBuffer();

  private final CompletableFuture<Void> pump;

  private ChildProcess(String name, List<String> command, Process process) {
    this.name = name;
    this.command = List.copyOf(command);
    this.process = process;
    this.pump = CompletableFuture.runAsync(this::readOutput);
  }

  /** Starts {@code command} in {@code workDir} with extra environment variables. */
  static ChildProcess start(
      String name, List<String> command, Path workDir, Map<String, String> env) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
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
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      output.append("[output unreadable: ").append(e.getMessage()).append("]\n");
    }
  }

  /** The process handle (for its pid and CPU time). */
  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code once exited. */
  int exitValue() {
    return process.exitValue();
  }

  /** Waits up to {@code timeout} for the exit; true when it exited. */
  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits up to {@code atMost} until {@code GET path} on loopback {@code port} answers 200 (a
   * server's readiness); fails with {@link #describe()} when the process exits first.
   */
  void awaitHttpOk(String what, int port, String path, Duration atMost) {
    await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              if (!isAlive()) {
                throw new AssertionError(describe());
              }
              return Http.get(port, path).statusCode() == 200;
            });
  }

  /** Everything printed so far. */
  String output() {
    return output.toString();
  }

  /** The command line and the output, for assertion messages. */
  String describe() {
    return name
        + " ("
        + String.join(" ", command)
        + ")"
        + (process.isAlive() ? "" : " exited " + process.exitValue())
        + ", output:\n"
        + tail(output.toString(), 8000);
  }

  private static String tail(String s, int max) {
    return s.length() <= max ? s : "..." + s.substring(s.length() - max);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(GRACE)) {
        process.destroyForcibly();
        waitFor(GRACE);
      }
    }
    try {
      pump.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the output pump only feeds failure messages; the process itself is gone
    }
  }
}
