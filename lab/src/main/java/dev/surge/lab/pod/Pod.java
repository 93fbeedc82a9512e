package dev.surge.lab.pod;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod: the real app jar as a child JVM. Its phase follows a pod's: {@link Phase#PENDING} from
 * creation until the app has bound its ports (the start-up line), {@link Phase#RUNNING} after,
 * {@link Phase#TERMINATING} once deleted (SIGTERM sent), {@link Phase#EXITED} when the process is
 * gone. Readiness is separate, as in Kubernetes: set by the probes the {@link ReplicaSet} runs.
 *
 * <p>Thread-safety: the phase and readiness fields are volatile and written by one thread at a time
 * (the stdout reader, the prober, the process-exit callback or the ReplicaSet under its lock); any
 * thread may read them.
 */
public final class Pod {
  private static final Pattern STARTED =
      Pattern.compile("surge-app started port=(\\d+) metrics-port=(\\d+)");

  /** The phases a lab pod goes through. */
  public enum Phase {
    PENDING,
    RUNNING,
    TERMINATING,
    EXITED
  }

  private final String name;
  private final double createdAt;
  private final Process process;
  private volatile Phase phase = Phase.PENDING;
  private volatile int port = -1;
  private volatile int metricsPort = -1;
  private volatile boolean ready;
  private volatile double readyTransitionTime;
  private volatile boolean startupPassed;
  private int readinessFailures;

  private Pod(String name, double createdAt, Process process) {
    this.name = name;
    this.createdAt = createdAt;
    this.process = process;
    // The Ready condition exists (false) from creation, as a pod's does.
    this.readyTransitionTime = createdAt;
  }

  /**
   * Starts the process and a thread that copies its stdout to {@code log} and watches for the
   * start-up line.
   *
   * @param onRunning called once when the ports are known
   */
  static Pod start(
      String name, double createdAt, ProcessBuilder builder, Path log, Runnable onRunning)
      throws IOException {
    builder.redirectErrorStream(true);
    Process process = builder.start();
    Pod pod = new Pod(name, createdAt, process);
    Thread reader =
        new Thread(() -> pod.copyOutput(log, onRunning), "surge-lab-pod-output-" + name);
    reader.setDaemon(true);
    reader.start();
    return pod;
  }

  private void copyOutput(Path log, Runnable onRunning) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        Matcher m = STARTED.matcher(line);
        if (port < 0 && m.find()) {
          port = Integer.parseInt(m.group(1));
          metricsPort = Integer.parseInt(m.group(2));
          synchronized (this) {
            if (phase == Phase.PENDING) {
              phase = Phase.RUNNING;
            }
          }
          onRunning.run();
        }
      }
    } catch (IOException e) {
      // The process's output ended with it (or the log cannot be written): the exit callback
      // records the end of the pod either way.
    }
  }

  public String name() {
    return name;
  }

  /** Lab-clock seconds when the pod was created. */
  public double createdAt() {
    return createdAt;
  }

  public long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  public Phase phase() {
    return phase;
  }

  /** The HTTP port, -1 until the app has bound it. */
  public int port() {
    return port;
  }

  /** The metrics port, -1 until the app has bound it. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The Ready condition (false until the first successful readiness probe). */
  public boolean ready() {
    return ready;
  }

  /** Whether the pod is an endpoint: ready and not being deleted. */
  public boolean serving() {
    return ready && phase == Phase.RUNNING;
  }

  /** Lab-clock seconds of the Ready condition's last transition (creation before the first). */
  public double readyTransitionTime() {
    return readyTransitionTime;
  }

  boolean startupPassed() {
    return startupPassed;
  }

  void startupPassed(boolean passed) {
    this.startupPassed = passed;
  }

  /**
   * Records one readiness probe result and returns whether the Ready condition changed. Ready on
   * the first success; not ready after {@code failureThreshold} consecutive failures.
   */
  synchronized boolean readinessResult(boolean success, int failureThreshold, double now) {
    boolean before = ready;
    if (success) {
      readinessFailures = 0;
      ready = true;
    } else if (++readinessFailures >= failureThreshold) {
      ready = false;
    }
    if (before != ready) {
      readyTransitionTime = now;
      return true;
    }
    return false;
  }

  /** Marks the pod deleted (no longer an endpoint) and sends SIGTERM. */
  synchronized void terminate() {
    if (phase == Phase.EXITED || phase == Phase.TERMINATING) {
      return;
    }
    phase = Phase.TERMINATING;
    process.destroy();
  }

  synchronized void exited() {
    phase = Phase.EXITED;
    ready = false;
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", " + phase + ", ready " + ready + ")";
  }
}
