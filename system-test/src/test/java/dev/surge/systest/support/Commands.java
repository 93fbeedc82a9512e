package dev.surge.systest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command-line tools the system tests use (promtool, amtool, kubectl, node, ...) to
 * completion, with a deadline, both streams captured. Finding them is {@link
 * dev.surge.testkit.Tools#require} (a missing tool fails the test naming {@code
 * ./bin/install-test-tools}).
 *
 * <pre>{@code
 * Path promtool = Tools.require("promtool", "prometheus");
 * Commands.Result r = Commands.run(List.of(promtool.toString(), "check", "rules", file.toString()));
 * assertThat(r.exitCode()).as(r.describe()).isZero();
 * }</pre>
 */
public final class Commands {
  /** Default deadline for a tool run; tools here finish in seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Commands() {}

  /** What a finished process printed and returned. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** One string for assertion messages: the command, exit code and both streams. */
    public String describe() {
      return String.join(" ", command)
          + " -> exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr\n"
          + stderr;
    }
  }

  /** The {@code java} launcher of the JVM running the tests (so child JVMs match it). */
  public static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Runs {@code command} in the repository root with {@link #DEFAULT_TIMEOUT}. */
  public static Result run(List<String> command) {
    return run(command, RepoPaths.root(), Map.of(), DEFAULT_TIMEOUT);
  }

  /**
   * Runs {@code command} to completion in {@code workDir} with extra environment variables, failing
   * the test if it does not finish within {@code timeout} (the process is killed then).
   */
  public static Result run(
      List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile());
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Drain both streams concurrently so a chatty tool cannot block on a full pipe.
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(List.copyOf(command), process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "cannot read the output of " + String.join(" ", command), e.getCause());
    }
  }

  static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
