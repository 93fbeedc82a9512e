package dev.surge.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real app jar ({@code java -jar surge-app.jar}) as a child process, for every test that needs
 * the app exactly as it ships (the app's, the lab's and the system tests): started with given args
 * and env, its ports read from the contract's start-up line, ready when {@code /readyz} answers
 * 200; {@link #close()} sends SIGTERM (the app drains) and waits for the exit, and a failed start
 * kills the process, so no test path leaves one behind. {@link #run} runs the jar to its exit, for
 * start-up failures.
 *
 * <pre>{@code
 * try (AppProcess app = AppProcess.builder().addArgs("--drain-delay", "0ms").start()) {
 *   HttpResponse<String> r = client.send(HttpRequest.newBuilder(app.baseUri().resolve("/readyz")).build(), ofString());
 *   app.metricsUri() ...
 * }
 * }</pre>
 *
 * <p>The jar is the system property {@code surge.app.jar} (each module's failsafe configuration
 * sets it) unless {@link Builder#jar} says otherwise.
 */
public final class AppProcess implements AutoCloseable {
  /** The system property naming the packaged app jar. */
  public static final String JAR_PROPERTY = "surge.app.jar";

  /** The contract's start-up line, printed once both ports are bound. */
  static final Pattern STARTED =
      Pattern.compile(
          "surge-app started port=(\\d+) metrics-port=(\\d+) instance=(\\S+) version=(\\S+)");

  private final Process process;

  @SuppressWarnings(
      "JdkObsolete") // appended by the output pump thread, read by the test thread: needs the
  // locking
  private final StringBuffer output;

  private final CompletableFuture<Void> reader;
  private final Duration shutdownTimeout;
  private final int port;
  private final int metricsPort;
  private final String instance;
  private final String version;

  @SuppressWarnings("JdkObsolete") // the output buffer is shared with the pump thread
  private AppProcess(Builder b) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(b.jvmOptions);
    command.add("-jar");
    command.add(b.jar.toString());
    command.addAll(b.args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The parent's SURGE_* variables (a developer's shell) must not leak into what the test
    // declares.
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("SURGE_") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(b.env);
    this.shutdownTimeout = b.shutdownTimeout;
    this.output = new StringBuffer();
    try {
      this.process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    CompletableFuture<Matcher> started = new CompletableFuture<>();
    this.reader = CompletableFuture.runAsync(() -> pump(started));
    Matcher m;
    try {
      m = started.get(b.startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      kill();
      throw new AssertionError(
          "the app printed no start-up line within "
              + b.startupTimeout
              + " ("
              + String.join(" ", command)
              + "):\n"
              + output,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new AssertionError("interrupted while starting the app", e);
    }
    this.port = Integer.parseInt(m.group(1));
    this.metricsPort = Integer.parseInt(m.group(2));
    this.instance = m.group(3);
    this.version = m.group(4);
    if (b.waitForReady) {
      try {
        await("/readyz of the app answering 200")
            .atMost(b.startupTimeout)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(() -> readyz(port) == 200);
      } catch (RuntimeException | Error e) {
        kill();
        throw new AssertionError("the app did not become ready:\n" + output, e);
      }
    }
  }

  /**
   * A builder with the defaults: the packaged jar, {@code --host 127.0.0.1 --port 0 --metrics-port
   * 0}, {@code -XX:MaxRAM=512m}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The packaged app jar ({@value #JAR_PROPERTY}); fails naming the build command without it. */
  public static Path jar() {
    String value = System.getProperty(JAR_PROPERTY);
    if (value == null || value.isBlank()) {
      throw new AssertionError(
          "system property "
              + JAR_PROPERTY
              + " is not set (the module's failsafe configuration sets it)");
    }
    Path jar = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          JAR_PROPERTY
              + "="
              + jar
              + " does not exist: build it with ./mvnw -B -q -pl app -am -DskipTests package");
    }
    return jar;
  }

  /** How a run of the jar ended ({@link #run}): the exit code and both outputs. */
  public record Exit(int code, String stdout, String stderr) {}

  /**
   * Runs the packaged jar with {@code args} to its exit (for start-up failures: a bad flag, a
   * missing file), without the parent's {@code SURGE_*} variables.
   *
   * @throws AssertionError if it does not exit within 60 s (it is then killed)
   */
  public static Exit run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("SURGE_") || k.equals("JAVA_TOOL_OPTIONS"));
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> drain(p.inputReader(StandardCharsets.UTF_8)));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> drain(p.errorReader(StandardCharsets.UTF_8)));
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the app did not exit within 60 s: " + args);
    }
    return new Exit(p.exitValue(), out.join(), err.join());
  }

  private static String drain(BufferedReader reader) {
    try (reader) {
      return String.join("\n", reader.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int readyz(int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private void pump(CompletableFuture<Matcher> started) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.append(line).append('\n');
        Matcher m = STARTED.matcher(line);
        if (!started.isDone() && m.find()) {
          started.complete(m);
        }
      }
      started.completeExceptionally(
          new IllegalStateException("the app exited before its start-up line"));
    } catch (IOException e) {
      started.completeExceptionally(e);
    }
  }

  /** The bound HTTP port. */
  public int port() {
    return port;
  }

  /** The bound metrics port. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The instance name from the start-up line. */
  public String instance() {
    return instance;
  }

  /** The version from the start-up line. */
  public String version() {
    return version;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** {@code http://127.0.0.1:<metricsPort>/metrics}. */
  public URI metricsUri() {
    return URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
  }

  /** Everything the process printed so far (stdout and stderr merged). */
  public String output() {
    return output.toString();
  }

  /** The process id of the app's JVM (for its CPU time and memory). */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Resident set size now, in KiB, from {@code /proc/<pid>/status}. */
  public long rssKib() {
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

  /**
   * Sends SIGTERM and returns at once (the app drains); {@link #awaitExit} or {@link #stop} then.
   */
  public void terminate() {
    // SIGTERM on Unix: the app drains as in a pod. Through the handle, not Process.destroy(), which
    // also closes the pipes, so that what the app prints while it drains still reaches output().
    process.toHandle().destroy();
  }

  /**
   * Waits up to {@code timeout} for the process to exit, then for {@link #output()} to hold all it
   * printed; whether it exited.
   */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    try {
      reader.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the output reader did not finish: the exit code is still valid
    }
    return true;
  }

  /** The exit code; only once the process has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /**
   * Sends SIGTERM and waits for the exit.
   *
   * @return the exit code
   * @throws AssertionError if the app does not exit within the shutdown timeout (it is then killed)
   */
  public int stop() {
    if (process.isAlive()) {
      terminate();
    }
    try {
      if (!process.waitFor(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(
            "the app did not exit within " + shutdownTimeout + " of SIGTERM:\n" + output);
      }
      reader.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new AssertionError("interrupted while stopping the app", e);
    } catch (ExecutionException | TimeoutException e) {
      // output reader did not finish: the exit code is still valid
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    stop();
  }

  private void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings for one app process. */
  public static final class Builder {
    private Path jar;
    private final List<String> args =
        new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"));
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<String> jvmOptions = List.of("-XX:MaxRAM=512m");
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration shutdownTimeout = Duration.ofSeconds(40);
    private boolean waitForReady = true;

    private Builder() {}

    /** The jar to run. Default is {@link AppProcess#jar()}. */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /**
     * Program arguments, instead of the default {@code --host 127.0.0.1 --port 0 --metrics-port 0}.
     */
    public Builder args(List<String> args) {
      this.args.clear();
      this.args.addAll(args);
      return this;
    }

    /** Arguments after the ones set so far (a later flag wins, so this can override one). */
    public Builder addArgs(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** Adds environment variables (the parent's {@code SURGE_*} are removed). Default is none. */
    public Builder env(Map<String, String> env) {
      this.env.putAll(env);
      return this;
    }

    /**
     * JVM options before {@code -jar}. Default is {@code -XX:MaxRAM=512m}, which emulates the
     * manifests' 512Mi memory limit outside a container.
     */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /**
     * Deadline for the start-up line and for /readyz answering 200. Default is 60 s (a loaded
     * machine).
     */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Deadline for the exit after SIGTERM. Default is 40 s (drain delay plus shutdown timeout plus
     * slack).
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /** Whether {@link #start()} waits for /readyz 200. Default is true. */
    public Builder waitForReady(boolean waitForReady) {
      this.waitForReady = waitForReady;
      return this;
    }

    /** Starts the process and waits for its start-up line (and readiness, unless turned off). */
    public AppProcess start() {
      if (jar == null) {
        jar = AppProcess.jar();
      }
      return new AppProcess(this);
    }
  }
}
