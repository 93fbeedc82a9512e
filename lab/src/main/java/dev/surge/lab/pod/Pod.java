package dev.surge.lab.pod;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod with one container: the real app jar as a child JVM, restarted in place when it exits
 * (restartPolicy Always), as the kubelet does. Its phase follows a pod's: {@link Phase#PENDING}
 * from creation until the app has first bound its ports (the start-up line), {@link Phase#RUNNING}
 * after (also while its container waits in CrashLoopBackOff), {@link Phase#TERMINATING} once
 * deleted (SIGTERM sent), {@link Phase#EXITED} when it is gone. Readiness is separate, as in
 * Kubernetes: set by the probes the {@link ReplicaSet} runs, and false while the container is not
 * running. {@link #status()} is the container's status as the API reports it (restart count, last
 * termination, waiting reason).
 *
 * <p>Thread-safety: state transitions synchronize on the pod and never start a process while
 * holding its lock; fields are volatile, so any thread may read them. The container's output is
 * appended to one log per pod ({@code <pod>.log}, as {@code kubectl logs} with {@code --previous}
 * would show it).
 */
public final class Pod {
  private static final Pattern STARTED =
      Pattern.compile("surge-app started port=(\\d+) metrics-port=(\\d+)");
  private static final Pattern ERROR_LINE =
      Pattern.compile("(?i)(error|exception|invalid|unknown|terminating due to)");
  private static final String OOM = "java.lang.OutOfMemoryError";

  /** The phases a lab pod goes through. */
  public enum Phase {
    PENDING,
    RUNNING,
    TERMINATING,
    EXITED
  }

  /**
   * The container's status, as {@code status.containerStatuses[0]} reports it and
   * kube-state-metrics exports it ({@code kube_pod_container_status_restarts_total}, {@code
   * _last_terminated_reason}, {@code _waiting_reason}).
   *
   * @param running whether the container's process is running
   * @param restartCount how often the container was restarted in place
   * @param waitingReason {@code ContainerCreating} before the first start, {@code CrashLoopBackOff}
   *     while a restart waits out its back-off, empty when running
   * @param lastTerminatedReason {@code Error}, {@code Completed} (exit 0), {@code OOMKilled} or
   *     {@code StartError}; empty before the first termination
   * @param lastExitCode the last termination's exit code, -1 before the first
   * @param firstErrorLine the first line of the log that looks like an error, empty when none
   */
  public record ContainerStatus(
      boolean running,
      int restartCount,
      String waitingReason,
      String lastTerminatedReason,
      int lastExitCode,
      String firstErrorLine) {

    /** {@code CrashLoopBackOff (last exit 2, Error)} and the like, for messages. */
    public String describe() {
      String state = running ? "Running" : waitingReason.isEmpty() ? "Waiting" : waitingReason;
      return lastExitCode < 0
          ? state
          : String.format(
              Locale.ROOT,
              "%s (last exit code %d, %s; %d restarts)",
              state,
              lastExitCode,
              lastTerminatedReason,
              restartCount);
    }
  }

  private final String name;
  private final double createdAt;
  private final ProcessBuilder builder;
  private final Path log;
  private final RestartBackoff backoff = new RestartBackoff();
  private volatile Process process;
  private volatile int generation;
  private volatile double containerStartedAt = Double.NaN;
  private volatile Phase phase = Phase.PENDING;
  private volatile int port = -1;
  private volatile int metricsPort = -1;
  private volatile boolean ready;
  private volatile boolean everReady;
  private volatile double readyTransitionTime;
  private volatile int restartCount;
  private volatile String waitingReason = "ContainerCreating";
  private volatile String lastTerminatedReason = "";
  private volatile int lastExitCode = -1;
  private volatile String firstErrorLine = "";
  private volatile boolean sawOom;
  private volatile Thread outputReader; // the current container's output copier
  private int readinessFailures;
  private int livenessFailures;

  Pod(String name, double createdAt, ProcessBuilder builder, Path log) {
    this.name = name;
    this.createdAt = createdAt;
    this.builder = builder.redirectErrorStream(true);
    this.log = log;
    // The Ready condition exists (false) from creation, as a pod's does.
    this.readyTransitionTime = createdAt;
  }

  /**
   * Starts the container's process (the first time, or again after a back-off) and a thread that
   * appends its output to the log and watches for the start-up line.
   *
   * @param onRunning called once when this container's ports are known, with its generation
   * @return the container's generation (1 for the first start), which probe and exit callbacks
   *     carry so that a stale one is ignored
   * @throws IOException when the process cannot be started (the caller records a {@code
   *     StartError})
   */
  int startContainer(double now, java.util.function.IntConsumer onRunning) throws IOException {
    Process p = builder.start(); // outside any lock: forking a JVM takes a while under load
    int gen;
    synchronized (this) {
      gen = ++generation;
      process = p;
      containerStartedAt = now;
      port = -1;
      metricsPort = -1;
      readinessFailures = 0;
      livenessFailures = 0;
      waitingReason = "";
      sawOom = false;
      if (phase == Phase.TERMINATING || phase == Phase.EXITED) {
        p.destroyForcibly(); // deleted while starting
      }
    }
    Thread reader = new Thread(() -> copyOutput(p, gen, onRunning), "surge-lab-pod-output-" + name);
    reader.setDaemon(true);
    outputReader = reader;
    reader.start();
    return gen;
  }

  /**
   * Waits (at most {@code millis}) until the container's output has been read to its end, so that
   * what its last lines say (an OutOfMemoryError, the first error line) is known when its exit is
   * classified: the process's exit and the end of its output reach the lab on different threads.
   */
  void awaitOutput(long millis) throws InterruptedException {
    Thread reader = outputReader;
    if (reader != null) {
      reader.join(millis);
    }
  }

  private void copyOutput(Process p, int gen, java.util.function.IntConsumer onRunning) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      boolean bound = false;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (line.contains(OOM)) {
          sawOom = true;
        }
        // The JVM echoes JAVA_TOOL_OPTIONS (-XX:+ExitOnOutOfMemoryError) first: not an error.
        if (firstErrorLine.isEmpty()
            && !line.startsWith("Picked up ")
            && ERROR_LINE.matcher(line).find()) {
          firstErrorLine = line.strip();
        }
        Matcher m = STARTED.matcher(line);
        if (!bound && m.find()) {
          bound = true;
          synchronized (this) {
            if (gen != generation) {
              continue;
            }
            port = Integer.parseInt(m.group(1));
            metricsPort = Integer.parseInt(m.group(2));
            if (phase == Phase.PENDING) {
              phase = Phase.RUNNING;
            }
          }
          onRunning.accept(gen);
        }
      }
    } catch (IOException e) {
      // The process's output ended with it (or the log cannot be written): the exit callback
      // records the end of the container either way.
    }
  }

  public String name() {
    return name;
  }

  /** Lab-clock seconds when the pod was created. */
  public double createdAt() {
    return createdAt;
  }

  /** The running container's process id, -1 while no container runs. */
  public long pid() {
    Process p = process;
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  /** The current (or last) container process, null before the first start. */
  Process process() {
    return process;
  }

  int generation() {
    return generation;
  }

  /** Lab-clock seconds when the current container started, NaN before the first. */
  double containerStartedAt() {
    return containerStartedAt;
  }

  public Phase phase() {
    return phase;
  }

  /** The HTTP port, -1 until the running container has bound it. */
  public int port() {
    return port;
  }

  /** The metrics port, -1 until the running container has bound it. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The Ready condition (false until the first successful readiness probe). */
  public boolean ready() {
    return ready;
  }

  /** Whether the pod has ever been ready. */
  public boolean everReady() {
    return everReady;
  }

  /** Whether the pod is an endpoint: ready and not being deleted. */
  public boolean serving() {
    return ready && phase == Phase.RUNNING;
  }

  /** Lab-clock seconds of the Ready condition's last transition (creation before the first). */
  public double readyTransitionTime() {
    return readyTransitionTime;
  }

  /** The container's status (a snapshot; see {@link ContainerStatus}). */
  public ContainerStatus status() {
    Process p = process;
    boolean running = p != null && p.isAlive() && waitingReason.isEmpty();
    return new ContainerStatus(
        running, restartCount, waitingReason, lastTerminatedReason, lastExitCode, firstErrorLine);
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
      everReady = true;
    } else if (++readinessFailures >= failureThreshold) {
      ready = false;
    }
    return transition(before, now);
  }

  /**
   * Records one liveness probe result; returns true when the container has failed it {@code
   * failureThreshold} times in a row and must be restarted.
   */
  synchronized boolean livenessResult(boolean success, int failureThreshold) {
    if (success) {
      livenessFailures = 0;
      return false;
    }
    return ++livenessFailures >= failureThreshold;
  }

  private boolean transition(boolean before, double now) {
    if (before != ready) {
      readyTransitionTime = now;
      return true;
    }
    return false;
  }

  /**
   * Records the exit of container {@code gen} and returns the back-off before its restart; the pod
   * is unready and its container waits in {@code CrashLoopBackOff}. Returns NaN when the exit is
   * not the current container's or the pod is being deleted (then nothing restarts).
   */
  synchronized double containerExited(int gen, int exitCode, double now) {
    if (gen != generation || phase == Phase.TERMINATING || phase == Phase.EXITED) {
      return Double.NaN;
    }
    recordTermination(exitCode, reason(exitCode), now);
    return backoff.next(containerStartedAt, now);
  }

  /** Records a container that could not be started at all ({@code StartError}). */
  synchronized double startFailed(String message, double now) {
    if (firstErrorLine.isEmpty()) {
      firstErrorLine = message;
    }
    recordTermination(128, "StartError", now);
    return backoff.next(now, now);
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // written under the pod's lock only
  private void recordTermination(int exitCode, String reason, double now) {
    boolean before = ready;
    ready = false;
    transition(before, now);
    port = -1;
    metricsPort = -1;
    lastExitCode = exitCode;
    lastTerminatedReason = reason;
    waitingReason = "CrashLoopBackOff";
    restartCount++;
  }

  private String reason(int exitCode) {
    // No cgroup here: the JVM's own OutOfMemoryError exit (ExitOnOutOfMemoryError under a heap
    // sized from the limit) stands for the kernel's OOM kill.
    if (sawOom) {
      return "OOMKilled";
    }
    return exitCode == 0 ? "Completed" : "Error";
  }

  /** Sends SIGTERM to the running container (a failed liveness probe): it will restart. */
  synchronized void killContainer() {
    Process p = process;
    if (p != null) {
      p.destroy();
    }
  }

  /**
   * Marks the pod deleted (no longer an endpoint); the caller sends the signal with {@link
   * #signalTerm()}.
   */
  synchronized boolean markTerminating() {
    if (phase == Phase.EXITED || phase == Phase.TERMINATING) {
      return false;
    }
    phase = Phase.TERMINATING;
    return true;
  }

  /** SIGTERM to the container, if one runs. */
  void signalTerm() {
    Process p = process;
    if (p != null) {
      p.destroy();
    }
  }

  /** SIGKILL to the container, if one runs. */
  void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** Whether a container process is alive. */
  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
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
