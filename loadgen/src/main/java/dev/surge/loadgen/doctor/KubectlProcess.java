package dev.surge.loadgen.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code kubectl} binary: one child process per call, its output collected through files
 * (no pipe can fill up), killed when it outlives its deadline, so no call leaves a process behind.
 *
 * <pre>{@code
 * KubectlProcess kubectl = new KubectlProcess(Path.of("/usr/bin/kubectl"), Map.of(), List.of("--context", "kind-surge"));
 * KubectlProcess.Result r = kubectl.run(List.of("get", "namespaces", "-o", "json"));
 * }</pre>
 *
 * <p>Immutable; each call is independent, so it may be used from any thread.
 */
final class KubectlProcess {
  /** What one call printed and how it exited. */
  record Result(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The first non-blank line of stderr (kubectl's error), or a note that there was none. */
    String errorLine() {
      return err.lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .findFirst()
          .orElse("exit code " + exitCode + " and no message");
    }
  }

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Path binary;
  private final Map<String, String> environment;
  private final List<String> globalArgs;

  /**
   * @param binary the kubectl executable
   * @param environment variables set for the child on top of this process's ({@code KUBECONFIG})
   * @param globalArgs flags put before every command's own ({@code --context x}, {@code
   *     --kubeconfig f})
   */
  KubectlProcess(Path binary, Map<String, String> environment, List<String> globalArgs) {
    this.binary = binary;
    this.environment = Map.copyOf(environment);
    this.globalArgs = List.copyOf(globalArgs);
  }

  Path binary() {
    return binary;
  }

  /** The same binary and environment with more global flags. */
  KubectlProcess withGlobalArgs(List<String> more) {
    List<String> all = new ArrayList<>(globalArgs);
    all.addAll(more);
    return new KubectlProcess(binary, environment, all);
  }

  /**
   * Runs {@code kubectl <global args> <args>} and waits for it.
   *
   * @throws ClusterException when it cannot be started or outlives its deadline (then it is killed)
   */
  Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(globalArgs);
    command.addAll(args);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("surge-doctor-", ".out");
      err = Files.createTempFile("surge-doctor-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().putAll(environment);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new ClusterException("cannot run " + binary + ": " + e.getMessage());
      }
      try {
        if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          throw new ClusterException(
              String.join(" ", args) + ": kubectl gave no answer in " + DEADLINE.toSeconds() + "s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new ClusterException("interrupted while kubectl " + String.join(" ", args) + " ran");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot collect kubectl's output", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover temp file is harmless; the result does not depend on it
      p.toFile().deleteOnExit();
    }
  }
}
