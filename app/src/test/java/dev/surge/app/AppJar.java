package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The packaged app ({@code surge.app.jar}, set by the pom) as a child process on ports 0, for
 * tests: waits for the start-up line, keeps stdout and stderr in files the test can read (for
 * example to check that a secret never appears in them), and stops the process on {@link #close}.
 */
final class AppJar implements AutoCloseable {
  private static final Pattern STARTED =
      Pattern.compile(
          "surge-app started port=(\\d+) metrics-port=(\\d+) instance=\\S+ version=\\S+");

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final int port;
  private final int metricsPort;

  private AppJar(Process process, Path stdout, Path stderr, int port, int metricsPort) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.port = port;
    this.metricsPort = metricsPort;
  }

  /** The java command and jar, followed by {@code args}. */
  static List<String> command(List<String> jvmFlags, List<String> args) {
    String jar = System.getProperty("surge.app.jar");
    assertThat(jar).as("system property surge.app.jar (set by the pom)").isNotNull();
    assertThat(new File(jar)).as("the packaged app; run ./mvnw -pl app verify").isFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar);
    command.addAll(args);
    return command;
  }

  /** Starts the jar with {@code --host 127.0.0.1 --port 0 --metrics-port 0} and {@code args}. */
  static AppJar start(List<String> jvmFlags, List<String> args) throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--metrics-port",
                "0",
                "--drain-delay",
                "0ms"));
    all.addAll(args);
    Path out = Files.createTempFile("surge-app", ".out");
    Path err = Files.createTempFile("surge-app", ".err");
    Process p =
        new ProcessBuilder(command(jvmFlags, all))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      Matcher[] started = new Matcher[1];
      Awaitility.await("start-up line")
          .atMost(60, TimeUnit.SECONDS)
          .pollInterval(50, TimeUnit.MILLISECONDS)
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError(
                      "the app exited with " + p.exitValue() + ": " + Files.readString(err));
                }
                Matcher m = STARTED.matcher(Files.readString(out));
                started[0] = m;
                return m.find();
              });
      return new AppJar(
          p,
          out,
          err,
          Integer.parseInt(started[0].group(1)),
          Integer.parseInt(started[0].group(2)));
    } catch (RuntimeException | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** Runs the jar to its exit (for start-up failures); returns the exit code and both outputs. */
  static Exit run(List<String> args) throws Exception {
    Process p = new ProcessBuilder(command(List.of(), args)).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String out;
    String err;
    try (BufferedReader o = p.inputReader(StandardCharsets.UTF_8);
        BufferedReader e = p.errorReader(StandardCharsets.UTF_8)) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the app did not exit within 60 s: " + args);
      }
      out = String.join("\n", o.lines().toList());
      err = String.join("\n", e.lines().toList());
    }
    return new Exit(p.exitValue(), out, err);
  }

  record Exit(int code, String stdout, String stderr) {}

  int port() {
    return port;
  }

  int metricsPort() {
    return metricsPort;
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size now, in KiB, from {@code /proc/<pid>/status}. */
  long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** Everything the process wrote to stdout and stderr so far. */
  String output() {
    try {
      return Files.readString(stdout) + Files.readString(stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then waits for the drain to finish; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the app did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      try {
        stop();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    Files.deleteIfExists(stdout);
    Files.deleteIfExists(stderr);
  }
}
