package dev.surge.lab.fault;

import dev.surge.lab.pod.Pod;
import dev.surge.lab.pod.ReplicaSet;
import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Injects the run's faults at their times through each pod's admin API with the bearer token the
 * pods were started with ({@code --admin-token-file}), and publishes each as a run event (kind
 * {@code FAULT}). Error rate and latency apply to the pods that serve at that moment, and end with
 * a second {@code PUT /admin/faults}; a pod started later (a scale-out, a restart) starts clean, as
 * a new pod in a cluster would.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} from the lab's thread; the injections run
 * on the schedule's own thread.
 */
public final class FaultSchedule implements AutoCloseable {
  private final List<Fault> faults;
  private final ReplicaSet pods;
  private final String token;
  private final EventSink events;
  private final DoubleSupplier clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "surge-lab-faults");
            t.setDaemon(true);
            return t;
          });

  /** The last pod-kill's pod (read and written on the schedule's thread only). */
  private String lastVictim = "";

  /**
   * @param faults what to inject and when (seconds after the load starts)
   * @param pods the pods
   * @param token the admin bearer token
   * @param events where each injection is told
   * @param clock seconds since the load started
   */
  public FaultSchedule(
      List<Fault> faults, ReplicaSet pods, String token, EventSink events, DoubleSupplier clock) {
    this.faults = List.copyOf(faults);
    this.pods = pods;
    this.token = token;
    this.events = events;
    this.clock = clock;
  }

  /** Schedules every fault from now (the load's start). */
  public void start() {
    for (Fault f : faults) {
      schedule(() -> inject(f), f.atSeconds());
      if (f.forSeconds() > 0
          && (f.kind() == Fault.Kind.ERROR_RATE || f.kind() == Fault.Kind.LATENCY)) {
        schedule(() -> end(f), f.atSeconds() + f.forSeconds());
      }
    }
  }

  private void schedule(Runnable task, double atSeconds) {
    var unused =
        executor.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                publish("", "failed: " + e);
              }
            },
            Math.round(atSeconds * 1000),
            TimeUnit.MILLISECONDS);
  }

  private void inject(Fault f) {
    List<Pod> serving = pods.pods().stream().filter(Pod::serving).toList();
    switch (f.kind()) {
      case ERROR_RATE ->
          put(serving, "{\"errorRate\":" + f.value() + "}", f, "error rate " + f.value());
      case LATENCY ->
          put(
              serving,
              "{\"addedLatencyMillis\":" + Math.round(f.value()) + "}",
              f,
              "added latency " + Math.round(f.value()) + "ms");
      case MEMORY_BURN ->
          post(
              serving,
              "/admin/memory",
              "{\"mebibytes\":"
                  + Math.round(f.value())
                  + ",\"durationSeconds\":"
                  + Math.round(f.forSeconds())
                  + "}",
              f,
              "memory burn " + Math.round(f.value()) + "Mi");
      case CPU_BURN ->
          post(
              serving,
              "/admin/cpu",
              "{\"millicores\":"
                  + Math.round(f.value())
                  + ",\"durationSeconds\":"
                  + Math.round(f.forSeconds())
                  + "}",
              f,
              "cpu burn " + Math.round(f.value()) + "m");
      case POD_KILL -> {
        // The pod killed before while it exists, else the newest whose container runs: repeated
        // kills hit one pod, as a container that keeps dying would, and its restarts add up.
        List<Pod> running =
            pods.pods().stream()
                .filter(p -> p.phase() == Pod.Phase.RUNNING && p.pid() > 0)
                .toList();
        Pod victim =
            running.stream()
                .filter(p -> p.name().equals(lastVictim))
                .findFirst()
                .orElseGet(
                    () ->
                        running.stream()
                            .max(Comparator.comparingDouble(Pod::createdAt))
                            .orElse(null));
        if (victim == null) {
          publish("", f + ": no running container to kill");
          return;
        }
        lastVictim = victim.name();
        ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);
        publish(victim.name(), f + ": container killed (SIGKILL)");
      }
    }
  }

  private void end(Fault f) {
    List<Pod> serving = pods.pods().stream().filter(Pod::serving).toList();
    String body =
        f.kind() == Fault.Kind.ERROR_RATE ? "{\"errorRate\":0}" : "{\"addedLatencyMillis\":0}";
    List<String> failed = send(serving, "PUT", "/admin/faults", body);
    publish("", f + " ended" + failures(failed));
  }

  private void put(List<Pod> serving, String body, Fault f, String what) {
    List<String> failed = send(serving, "PUT", "/admin/faults", body);
    publish("", f + ": " + what + " on " + serving.size() + " pods" + failures(failed));
  }

  private void post(List<Pod> serving, String path, String body, Fault f, String what) {
    List<String> failed = send(serving, "POST", path, body);
    publish("", f + ": " + what + " on " + serving.size() + " pods" + failures(failed));
  }

  private static String failures(List<String> failed) {
    return failed.isEmpty() ? "" : " (failed: " + String.join("; ", failed) + ")";
  }

  private List<String> send(List<Pod> serving, String method, String path, String body) {
    List<String> failed = new ArrayList<>();
    for (Pod p : serving) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path))
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
          failed.add(p.name() + " " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        failed.add(p.name() + " " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed.add(p.name() + " interrupted");
        break;
      }
    }
    return failed;
  }

  private void publish(String subject, String message) {
    events.publish(
        new RunEvent(
            Math.round(clock.getAsDouble() * 10) / 10.0, RunEvent.Kind.FAULT, subject, message));
  }

  /** Cancels what has not happened yet. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** For messages: {@code 30s:error-rate=0.5/60s, 50s:pod-kill}. */
  public static String describe(List<Fault> faults) {
    return String.join(", ", faults.stream().map(Fault::toString).toList());
  }
}
