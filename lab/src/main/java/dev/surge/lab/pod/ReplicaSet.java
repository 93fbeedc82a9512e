package dev.surge.lab.pod;

import dev.surge.lab.service.Endpoint;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The lab's Deployment, ReplicaSet and kubelet in one: keeps the wanted number of pods (real app
 * processes), runs their startup, liveness and readiness probes as the kubelet does, restarts a
 * container that exits in place (restartPolicy Always) after the kubelet's {@link RestartBackoff},
 * publishes the ready pods as the Service's endpoints, and on scale-in picks victims as the
 * ReplicaSet controller does — pods not yet ready first, then the newest — removes them from the
 * endpoints and sends SIGTERM so the app drains (readiness 503, keeps serving its open connections,
 * then stops gracefully).
 *
 * <p>Thread-safety: the pod list and the wanted count are guarded by this object; no process is
 * started, no signal sent and no event or endpoint update made while holding that lock (a JVM start
 * takes long on a loaded machine, and the Service and the event sinks are other objects' code).
 * Endpoint updates are serialized by their own lock, so the Service always ends with the latest
 * set. Probes, restarts and kills run on the prober threads; {@link #scaleTo} is called by the
 * controller's thread and the lab's.
 */
public final class ReplicaSet implements AutoCloseable {
  private final PodTemplate template;
  private final ProcessBuilderFactory processes;
  private final Path logDir;
  private final DoubleSupplier clock;
  private final Consumer<List<Endpoint>> endpoints;
  private final EventSink events;
  private final StartupArchive archive;
  private final List<PodStartup> startups = new ArrayList<>(); // guarded by this
  // When each pod's app first printed its start-up line, lab-clock seconds; guarded by this.
  private final Map<String, Double> appStartedAt = new HashMap<>();
  private final Random random = new Random();
  private final List<Pod> pods = new ArrayList<>();
  private final Map<String, double[]> lives = new LinkedHashMap<>();
  private final Object publishLock = new Object();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService prober =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "surge-lab-prober");
            t.setDaemon(true);
            return t;
          });
  private int wanted;
  private boolean closed;

  /** Builds the process of a pod's container: the command line and environment for a pod name. */
  @FunctionalInterface
  public interface ProcessBuilderFactory {
    ProcessBuilder forPod(String podName);
  }

  /**
   * @param template what each pod runs
   * @param appJar the app jar
   * @param java the java each pod runs
   * @param logDir where each pod's output goes ({@code <pod>.log})
   * @param clock the lab's clock in seconds
   * @param endpoints receives the ready, not-deleted pods whenever that set changes
   * @param events where pod events go
   */
  public ReplicaSet(
      PodTemplate template,
      Path appJar,
      Path java,
      Path logDir,
      DoubleSupplier clock,
      Consumer<List<Endpoint>> endpoints,
      EventSink events) {
    // Trained once per app jar and JVM, then reused by every pod (and every later lab run).
    this(
        template,
        StartupArchive.prepare(appJar, java, StartupArchive.cacheDir()),
        appJar,
        java,
        logDir,
        clock,
        endpoints,
        events);
  }

  private ReplicaSet(
      PodTemplate template,
      StartupArchive archive,
      Path appJar,
      Path java,
      Path logDir,
      DoubleSupplier clock,
      Consumer<List<Endpoint>> endpoints,
      EventSink events) {
    this(
        template,
        name -> appProcess(template, archive, appJar, java, name),
        archive,
        logDir,
        clock,
        endpoints,
        events);
    events.publish(
        new RunEvent(clock.getAsDouble(), RunEvent.Kind.LAB, "start-up", archive.description()));
  }

  /** With the container's process built by {@code processes} (tests run other programs). */
  ReplicaSet(
      PodTemplate template,
      ProcessBuilderFactory processes,
      Path logDir,
      DoubleSupplier clock,
      Consumer<List<Endpoint>> endpoints,
      EventSink events) {
    this(
        template,
        processes,
        StartupArchive.none("not the app jar"),
        logDir,
        clock,
        endpoints,
        events);
  }

  private ReplicaSet(
      PodTemplate template,
      ProcessBuilderFactory processes,
      StartupArchive archive,
      Path logDir,
      DoubleSupplier clock,
      Consumer<List<Endpoint>> endpoints,
      EventSink events) {
    this.archive = archive;
    this.template = template;
    this.processes = processes;
    this.logDir = logDir;
    this.clock = clock;
    this.endpoints = endpoints;
    this.events = events;
  }

  /**
   * One pod's start-up, in seconds from its process start: to the app's start-up line (its ports
   * bound, ready to serve: the JVM's part) and to its first Ready (adding the wait for the
   * kubelet's next probe tick).
   */
  public record PodStartup(String pod, double appSeconds, double seconds, String archive) {}

  /** Every pod's start-up so far (pods that became ready at least once), in order. */
  public synchronized List<PodStartup> startups() {
    return List.copyOf(startups);
  }

  /** The start-up archive the pods start with. */
  public StartupArchive archive() {
    return archive;
  }

  /** The app jar's command line for pod {@code name}, as the container would run it. */
  static ProcessBuilder appProcess(
      PodTemplate template, StartupArchive archive, Path appJar, Path java, String name) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(archive.jvmFlags());
    if (template.memoryLimitBytes() > 0) {
      // No cgroup here: tell the JVM the container's memory so MaxRAMPercentage sizes the heap as
      // in the pod.
      cmd.add("-XX:MaxRAM=" + template.memoryLimitBytes());
    }
    cmd.add("-jar");
    cmd.add(appJar.toString());
    cmd.addAll(template.args());
    cmd.addAll(
        List.of("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--instance", name));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.remove("JAVA_TOOL_OPTIONS");
    if (!template.javaToolOptions().isEmpty()) {
      env.put("JAVA_TOOL_OPTIONS", template.javaToolOptions());
    }
    // The app exits when the lab is gone, even if the lab was killed without running its hooks.
    env.put("SURGE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    return pb;
  }

  public PodTemplate template() {
    return template;
  }

  /** The replica count asked for (pods being deleted are not counted). */
  public synchronized int replicas() {
    return wanted;
  }

  /** A snapshot of every pod that has not exited yet, deleted ones included. */
  public synchronized List<Pod> pods() {
    return List.copyOf(pods);
  }

  /**
   * One pod's life on the lab's clock, from its creation to its end (NaN while it exists), for the
   * cost figures: a pod's requests are reserved from creation until it is gone.
   */
  public record PodLife(String name, double start, double end) {}

  /** Every pod that was created, gone ones included. */
  public synchronized List<PodLife> lives() {
    List<PodLife> out = new ArrayList<>();
    lives.forEach((name, l) -> out.add(new PodLife(name, l[0], l[1])));
    return out;
  }

  /** Ready pods that are not being deleted. */
  public synchronized int readyReplicas() {
    return (int) pods.stream().filter(Pod::serving).count();
  }

  /** Process ids of the pods whose container runs (for the samplers), by pod name. */
  public Map<String, Long> pids() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Pod p : pods()) {
      long pid = p.pid();
      if (p.phase() != Pod.Phase.EXITED && pid > 0) {
        m.put(p.name(), pid);
      }
    }
    return m;
  }

  /**
   * Sets the replica count: creates pods on scale-out (their containers start before this returns),
   * deletes pods on scale-in (unready first, then newest).
   *
   * @throws IOException when a container cannot be started at all (the pod stays and retries after
   *     its back-off)
   */
  public void scaleTo(int replicas) throws IOException {
    List<Pod> created = new ArrayList<>();
    List<Pod> victims = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      wanted = replicas;
      List<Pod> live = live();
      for (int i = live.size(); i < replicas; i++) {
        // Building the ProcessBuilder is cheap; its process starts below, outside the lock.
        String name = newName();
        Pod pod =
            new Pod(
                name, clock.getAsDouble(), processes.forPod(name), logDir.resolve(name + ".log"));
        pods.add(pod);
        lives.put(name, new double[] {pod.createdAt(), Double.NaN});
        created.add(pod);
      }
      if (live.size() > replicas) {
        List<Pod> sorted = new ArrayList<>(live);
        sorted.sort(
            Comparator.comparing(Pod::serving)
                .thenComparing(Pod::createdAt, Comparator.reverseOrder()));
        for (Pod victim : sorted.subList(0, live.size() - replicas)) {
          if (victim.markTerminating()) {
            victims.add(victim);
          }
        }
      }
    }
    for (Pod victim : victims) {
      delete(victim);
    }
    if (!victims.isEmpty()) {
      publish();
    }
    IOException failure = null;
    for (Pod pod : created) {
      try {
        create(pod);
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private String newName() {
    return template.deployment()
        + "-"
        + template.templateHash()
        + "-"
        + PodTemplateReader.suffix(random);
  }

  private List<Pod> live() {
    return pods.stream()
        .filter(p -> p.phase() == Pod.Phase.PENDING || p.phase() == Pod.Phase.RUNNING)
        .toList();
  }

  private void create(Pod pod) throws IOException {
    event(pod.name(), "created");
    if (pod.phase() == Pod.Phase.PENDING) {
      startContainer(pod);
    }
  }

  private void startContainer(Pod pod) throws IOException {
    int gen;
    try {
      gen = pod.startContainer(clock.getAsDouble(), g -> running(pod, g));
    } catch (IOException e) {
      double delay = pod.startFailed(e.getMessage(), clock.getAsDouble());
      event(pod.name(), "container could not start: " + e.getMessage() + restartText(pod, delay));
      scheduleRestart(pod, delay);
      throw e;
    }
    Process process = pod.process();
    event(
        pod.name(),
        (gen == 1 ? "container started" : "container restarted") + " (pid " + process.pid() + ")");
    var unused = process.onExit().thenRun(() -> containerExited(pod, gen, process));
  }

  private void running(Pod pod, int gen) {
    Probe startup = template.startupProbe();
    double now = clock.getAsDouble();
    synchronized (this) {
      appStartedAt.putIfAbsent(pod.name(), now);
    }
    if (startup == null) {
      Probe readiness = template.readinessProbe();
      scheduleReadiness(pod, gen, untilTick(pod.createdAt(), readiness.periodSeconds(), now));
      scheduleLivenessAfterStartup(pod, gen);
    } else {
      scheduleStartup(pod, gen, startup, untilTick(pod.createdAt(), startup.periodSeconds(), now));
    }
  }

  /**
   * Seconds from {@code now} to the kubelet's next probe: its prober runs one worker per pod and
   * probe with a ticker started when the pod is added ({@code createdAt}), so a container that
   * becomes reachable between two ticks waits for the next (a probe before it would have failed
   * with "connection refused": the lab, which learns the pod's port from its start-up line, skips
   * those). Never 0 unless {@code now} is on a tick.
   */
  static double untilTick(double createdAt, double periodSeconds, double now) {
    double since = Math.max(0, now - createdAt);
    double ticks = Math.ceil(since / periodSeconds);
    return Math.max(0, createdAt + ticks * periodSeconds - now);
  }

  private void afterStartup(Pod pod, int gen) {
    // The kubelet runs the readiness probe at once when the startup probe succeeds (its status
    // update triggers the readiness worker), not at that worker's next tick.
    scheduleReadiness(pod, gen, 0);
    scheduleLivenessAfterStartup(pod, gen);
  }

  private void scheduleLivenessAfterStartup(Pod pod, int gen) {
    Probe liveness = template.livenessProbe();
    if (liveness != null) {
      scheduleLiveness(pod, gen, liveness, liveness.periodSeconds());
    }
  }

  private static boolean current(Pod pod, int gen) {
    return pod.generation() == gen
        && pod.phase() != Pod.Phase.EXITED
        && pod.port() > 0
        && pod.alive();
  }

  private void scheduleStartup(Pod pod, int gen, Probe probe, double delaySeconds) {
    schedule(
        () -> {
          if (!current(pod, gen) || pod.phase() == Pod.Phase.TERMINATING) {
            return;
          }
          if (get(pod, probe)) {
            afterStartup(pod, gen);
          } else {
            scheduleStartup(pod, gen, probe, probe.periodSeconds());
          }
        },
        delaySeconds);
  }

  private void scheduleReadiness(Pod pod, int gen, double delaySeconds) {
    Probe probe = template.readinessProbe();
    schedule(
        () -> {
          if (!current(pod, gen)) {
            return;
          }
          boolean ok = get(pod, probe);
          if (pod.readinessResult(ok, probe.failureThreshold(), clock.getAsDouble())) {
            if (pod.ready()) {
              startedUp(pod);
            }
            event(pod.name(), pod.ready() ? "ready" : "not ready");
            publish();
          }
          scheduleReadiness(pod, gen, probe.periodSeconds());
        },
        delaySeconds);
  }

  private void scheduleLiveness(Pod pod, int gen, Probe probe, double delaySeconds) {
    schedule(
        () -> {
          if (!current(pod, gen) || pod.phase() == Pod.Phase.TERMINATING) {
            return;
          }
          if (pod.livenessResult(get(pod, probe), probe.failureThreshold())) {
            event(
                pod.name(),
                "liveness probe "
                    + probe.path()
                    + " failed "
                    + probe.failureThreshold()
                    + " times: the container is restarted (SIGTERM)");
            pod.killContainer();
            killAfterGrace(pod, gen);
            return;
          }
          scheduleLiveness(pod, gen, probe, probe.periodSeconds());
        },
        delaySeconds);
  }

  private void schedule(Runnable task, double delaySeconds) {
    try {
      var unused = prober.schedule(task, Math.round(delaySeconds * 1000), TimeUnit.MILLISECONDS);
    } catch (RuntimeException rejected) {
      // Closing: no more probes.
    }
  }

  private boolean get(Pod pod, Probe probe) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port() + probe.path()))
              .timeout(Duration.ofMillis(Math.round(probe.timeoutSeconds() * 1000)))
              .header("User-Agent", "kube-probe/lab")
              .GET()
              .build();
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 400;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM to a pod marked terminating, and SIGKILL after the grace period. */
  private void delete(Pod pod) {
    pod.signalTerm();
    event(pod.name(), "deleted: SIGTERM, draining");
    if (!pod.alive()) {
      // Deleted while its container waited in back-off: nothing to drain.
      gone(pod, "deleted");
      return;
    }
    killAfterGrace(pod, pod.generation());
  }

  private void killAfterGrace(Pod pod, int gen) {
    schedule(
        () -> {
          if (pod.generation() == gen && pod.alive()) {
            event(pod.name(), "grace period over: SIGKILL");
            pod.kill();
          }
        },
        template.terminationGraceSeconds());
  }

  private void containerExited(Pod pod, int gen, Process process) {
    int code = process.exitValue();
    try {
      pod.awaitOutput(2000); // its last lines decide OOMKilled (outside the pod's lock)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double now = clock.getAsDouble();
    double delay = pod.containerExited(gen, code, now);
    if (Double.isNaN(delay)) {
      if (pod.generation() == gen) {
        gone(pod, "exited (code " + code + ")");
      }
      return;
    }
    publish();
    Pod.ContainerStatus s = pod.status();
    event(
        pod.name(),
        "container exited (code "
            + code
            + ", "
            + s.lastTerminatedReason()
            + ")"
            + restartText(pod, delay));
    scheduleRestart(pod, delay);
  }

  private static String restartText(Pod pod, double delay) {
    return String.format(
        Locale.ROOT, ": CrashLoopBackOff, restart %d in %.0fs", pod.status().restartCount(), delay);
  }

  private void scheduleRestart(Pod pod, double delaySeconds) {
    schedule(
        () -> {
          synchronized (this) {
            if (closed || pod.phase() == Pod.Phase.TERMINATING || pod.phase() == Pod.Phase.EXITED) {
              return;
            }
          }
          try {
            startContainer(pod);
          } catch (IOException e) {
            // Recorded and rescheduled by startContainer.
          }
        },
        delaySeconds);
  }

  /** The pod is gone: off the list and the endpoints. */
  private void gone(Pod pod, String what) {
    pod.exited();
    synchronized (this) {
      pods.remove(pod);
      double[] life = lives.get(pod.name());
      if (life != null && Double.isNaN(life[1])) {
        life[1] = clock.getAsDouble();
      }
    }
    publish();
    event(pod.name(), what);
  }

  private void publish() {
    synchronized (publishLock) {
      List<Endpoint> ready = new ArrayList<>();
      for (Pod p : pods()) {
        int port = p.port();
        if (p.serving() && port > 0) {
          ready.add(
              new Endpoint(
                  p.name(), new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
      }
      endpoints.accept(ready);
    }
  }

  /** Records a pod's first Ready (later ones are not a start-up). */
  private synchronized void startedUp(Pod pod) {
    if (startups.stream().anyMatch(s -> s.pod().equals(pod.name()))) {
      return;
    }
    double app = appStartedAt.getOrDefault(pod.name(), pod.readyTransitionTime());
    startups.add(
        new PodStartup(
            pod.name(),
            app - pod.createdAt(),
            pod.readyTransitionTime() - pod.createdAt(),
            archive.kind().key()));
  }

  private void event(String pod, String what) {
    events.publish(new RunEvent(clock.getAsDouble(), RunEvent.Kind.POD, pod, what));
  }

  /** How waiting for the first pods ended. */
  public enum Readiness {
    /** Enough pods are ready. */
    READY,
    /** The deadline passed. */
    TIMED_OUT,
    /** {@code abort} turned true. */
    ABORTED,
    /** Every pod's container has exited before it was ever ready: none can start. */
    CANNOT_START
  }

  /**
   * Waits until {@code n} pods are ready, the deadline passes, {@code abort} turns true, or every
   * pod's container has exited at least once without ever being ready (a jar that is not one, an
   * arg the app rejects: restarting them only loops).
   */
  public Readiness awaitReady(int n, Duration timeout, BooleanSupplier abort)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (abort.getAsBoolean()) {
        return Readiness.ABORTED;
      }
      if (readyReplicas() >= n) {
        return Readiness.READY;
      }
      List<Pod> all = pods();
      if (!all.isEmpty()
          && all.stream().allMatch(p -> !p.everReady() && p.status().restartCount() > 0)) {
        return Readiness.CANNOT_START;
      }
      Thread.sleep(100); // polling a state that other threads change; bounded by the deadline
    }
    return Readiness.TIMED_OUT;
  }

  /**
   * Deletes every pod (SIGTERM, so each drains), waits up to the grace period for them to exit,
   * then kills what is left. Idempotent.
   */
  @Override
  public void close() {
    List<Pod> all;
    synchronized (this) {
      closed = true;
      wanted = 0;
      all = List.copyOf(pods);
    }
    for (Pod p : all) {
      p.markTerminating();
      p.signalTerm();
    }
    publish();
    long deadline = System.nanoTime() + Math.round(template.terminationGraceSeconds() * 1e9);
    for (Pod p : all) {
      Process process = p.process();
      if (process == null) {
        continue;
      }
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    prober.shutdownNow();
  }

  /** Kills every pod at once (the shutdown hook's last resort when the lab cannot stop cleanly). */
  public void killAll() {
    for (Pod p : pods()) {
      p.kill();
    }
  }
}
