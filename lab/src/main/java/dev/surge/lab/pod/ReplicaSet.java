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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The lab's Deployment and ReplicaSet in one: keeps the wanted number of pods (real app processes),
 * runs their startup and readiness probes as the kubelet does, publishes the ready ones as the
 * Service's endpoints, and on scale-in picks victims as the ReplicaSet controller does — pods not
 * yet ready first, then the newest — removes them from the endpoints and sends SIGTERM so the app
 * drains (readiness 503, keeps serving its open connections, then stops gracefully).
 *
 * <p>Thread-safety: scaling, the pod list and the endpoint publication are guarded by this object;
 * probes run on the prober threads and report back through synchronized methods.
 */
public final class ReplicaSet implements AutoCloseable {
  private final PodTemplate template;
  private final Path appJar;
  private final Path logDir;
  private final DoubleSupplier clock;
  private final Consumer<List<Endpoint>> endpoints;
  private final EventSink events;
  private final StartupArchive archive;
  private final List<PodStartup> startups = new ArrayList<>(); // guarded by this
  private final Random random = new Random();
  private final List<Pod> pods = new ArrayList<>();
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

  /**
   * @param template what each pod runs
   * @param appJar the app jar
   * @param logDir where each pod's output goes ({@code <pod>.log})
   * @param clock the lab's clock in seconds
   * @param endpoints receives the ready, not-deleted pods whenever that set changes
   * @param events where pod events go
   */
  public ReplicaSet(
      PodTemplate template,
      Path appJar,
      Path logDir,
      DoubleSupplier clock,
      Consumer<List<Endpoint>> endpoints,
      EventSink events) {
    this.template = template;
    this.appJar = appJar;
    this.logDir = logDir;
    this.clock = clock;
    this.endpoints = endpoints;
    this.events = events;
    // Trained once per app jar and JVM, then reused by every pod (and every later lab run).
    this.archive = StartupArchive.prepare(appJar, java(), StartupArchive.cacheDir());
    events.publish(
        new RunEvent(clock.getAsDouble(), RunEvent.Kind.LAB, "start-up", archive.description()));
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** One pod's start-up: process start to its first Ready, in seconds. */
  public record PodStartup(String pod, double seconds, String archive) {}

  /** Every pod's start-up so far (pods that became ready at least once), in order. */
  public synchronized List<PodStartup> startups() {
    return List.copyOf(startups);
  }

  /** The start-up archive the pods start with. */
  public StartupArchive archive() {
    return archive;
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

  /** Ready pods that are not being deleted. */
  public synchronized int readyReplicas() {
    return (int) pods.stream().filter(Pod::serving).count();
  }

  /** Process ids of the pods still running (for the CPU sampler), by pod name. */
  public synchronized Map<String, Long> pids() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Pod p : pods) {
      if (p.phase() != Pod.Phase.EXITED) {
        m.put(p.name(), p.pid());
      }
    }
    return m;
  }

  /**
   * Sets the replica count: starts pods on scale-out, deletes pods on scale-in (unready first, then
   * newest).
   */
  public synchronized void scaleTo(int replicas) throws IOException {
    if (closed) {
      return;
    }
    wanted = replicas;
    List<Pod> live = live();
    for (int i = live.size(); i < replicas; i++) {
      startPod();
    }
    if (live.size() > replicas) {
      List<Pod> victims = new ArrayList<>(live);
      victims.sort(
          Comparator.comparing(Pod::serving)
              .thenComparing(Pod::createdAt, Comparator.reverseOrder()));
      for (Pod victim : victims.subList(0, live.size() - replicas)) {
        delete(victim);
      }
    }
  }

  private List<Pod> live() {
    return pods.stream()
        .filter(p -> p.phase() == Pod.Phase.PENDING || p.phase() == Pod.Phase.RUNNING)
        .toList();
  }

  private void startPod() throws IOException {
    String name =
        template.deployment()
            + "-"
            + template.templateHash()
            + "-"
            + PodTemplateReader.suffix(random);
    List<String> cmd = new ArrayList<>();
    cmd.add(java().toString());
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
    Pod pod =
        Pod.start(
            name, clock.getAsDouble(), pb, logDir.resolve(name + ".log"), () -> running(name));
    pods.add(pod);
    var unused = pod.process().onExit().thenRun(() -> exited(pod));
    event(name, "created (pid " + pod.pid() + ")");
  }

  private void running(String name) {
    Pod pod = find(name);
    if (pod == null) {
      return;
    }
    Probe startup = template.startupProbe();
    if (startup == null) {
      pod.startupPassed(true);
      scheduleReadiness(pod, 0);
    } else {
      scheduleStartup(pod, startup, 0);
    }
  }

  private synchronized Pod find(String name) {
    return pods.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  private void scheduleStartup(Pod pod, Probe probe, double delaySeconds) {
    schedule(
        () -> {
          if (pod.phase() != Pod.Phase.RUNNING) {
            return;
          }
          if (get(pod, probe)) {
            pod.startupPassed(true);
            scheduleReadiness(pod, 0);
          } else {
            scheduleStartup(pod, probe, probe.periodSeconds());
          }
        },
        delaySeconds);
  }

  private void scheduleReadiness(Pod pod, double delaySeconds) {
    Probe probe = template.readinessProbe();
    schedule(
        () -> {
          if (pod.phase() == Pod.Phase.EXITED) {
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
          scheduleReadiness(pod, probe.periodSeconds());
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
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private synchronized void delete(Pod pod) {
    pod.terminate();
    publish();
    event(pod.name(), "deleted: SIGTERM, draining");
    long graceMillis = Math.round(template.terminationGraceSeconds() * 1000);
    try {
      var unused =
          prober.schedule(
              () -> {
                if (pod.process().isAlive()) {
                  event(pod.name(), "grace period over: SIGKILL");
                  pod.process().destroyForcibly();
                }
              },
              graceMillis,
              TimeUnit.MILLISECONDS);
    } catch (RuntimeException rejected) {
      // Closing: close() kills what is left.
    }
  }

  private void exited(Pod pod) {
    boolean unexpected;
    synchronized (this) {
      unexpected = pod.phase() != Pod.Phase.TERMINATING && !closed;
      pod.exited();
      pods.remove(pod);
      publish();
    }
    event(
        pod.name(),
        "exited (code " + pod.process().exitValue() + ")" + (unexpected ? " unexpectedly" : ""));
    if (unexpected) {
      // restartPolicy Always, in the lab's terms: a replacement pod keeps the count.
      synchronized (this) {
        try {
          scaleTo(wanted);
        } catch (IOException e) {
          event(pod.name(), "replacement failed: " + e.getMessage());
        }
      }
    }
  }

  private synchronized void publish() {
    List<Endpoint> ready = new ArrayList<>();
    for (Pod p : pods) {
      if (p.serving()) {
        ready.add(
            new Endpoint(
                p.name(), new InetSocketAddress(InetAddress.getLoopbackAddress(), p.port())));
      }
    }
    endpoints.accept(ready);
  }

  /** Records a pod's first Ready (later ones are not a start-up). */
  private synchronized void startedUp(Pod pod) {
    if (startups.stream().anyMatch(s -> s.pod().equals(pod.name()))) {
      return;
    }
    startups.add(
        new PodStartup(
            pod.name(), pod.readyTransitionTime() - pod.createdAt(), archive.kind().key()));
  }

  private void event(String pod, String what) {
    events.publish(new RunEvent(clock.getAsDouble(), RunEvent.Kind.POD, pod, what));
  }

  /**
   * Waits until {@code n} pods are ready.
   *
   * @return false when the deadline passed or {@code abort} turned true first
   */
  public boolean awaitReady(int n, Duration timeout, java.util.function.BooleanSupplier abort)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !abort.getAsBoolean()) {
      if (readyReplicas() >= n) {
        return true;
      }
      Thread.sleep(100); // polling a state that other threads change; bounded by the deadline
    }
    return false;
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
      for (Pod p : all) {
        p.terminate();
      }
      publish();
    }
    long deadline = System.nanoTime() + Math.round(template.terminationGraceSeconds() * 1e9);
    for (Pod p : all) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !p.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          p.process().destroyForcibly();
          p.process().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.process().destroyForcibly();
      }
    }
    prober.shutdownNow();
  }

  /** Kills every pod at once (the shutdown hook's last resort when the lab cannot stop cleanly). */
  public void killAll() {
    List<Pod> all;
    synchronized (this) {
      all = List.copyOf(pods);
    }
    for (Pod p : all) {
      p.process().destroyForcibly();
    }
  }
}
