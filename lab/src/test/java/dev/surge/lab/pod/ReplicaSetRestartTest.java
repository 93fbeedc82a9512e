package dev.surge.lab.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.events.RunEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers that exit at once (a real {@code sh}, not the app): restart count, termination reason,
 * CrashLoopBackOff and the lab giving up, without waiting out a back-off.
 */
class ReplicaSetRestartTest {
  @TempDir Path dir;

  private static final PodTemplate TEMPLATE = template(null);

  /**
   * A one-container template with a 1 s readiness probe, the given liveness probe and 1 s grace.
   */
  private static PodTemplate template(Probe liveness) {
    return new PodTemplate(
        "surge",
        "abcdefghij",
        "",
        List.of(),
        List.of(),
        100,
        0,
        0,
        null,
        new Probe("/readyz", 1, 1, 1),
        liveness,
        1);
  }

  private final List<RunEvent> events = new CopyOnWriteArrayList<>();

  private ReplicaSet replicaSet(String script) {
    return new ReplicaSet(
        TEMPLATE,
        name -> new ProcessBuilder("sh", "-c", script),
        dir,
        () -> 0,
        endpoints -> {},
        (EventSink) events::add);
  }

  @Test
  void aContainerThatExitsWaitsInCrashLoopBackOffAndTheLabGivesUp() throws Exception {
    try (ReplicaSet rs = replicaSet("echo 'surge-app: Unknown option: --nope'; exit 2")) {
      rs.scaleTo(2);
      assertThat(rs.awaitReady(2, Duration.ofSeconds(60), () -> false))
          .isEqualTo(ReplicaSet.Readiness.CANNOT_START);
      assertThat(rs.pods()).hasSize(2);
      for (Pod p : rs.pods()) {
        Pod.ContainerStatus s = p.status();
        assertThat(s.running()).isFalse();
        assertThat(s.restartCount()).isEqualTo(1);
        assertThat(s.waitingReason()).isEqualTo("CrashLoopBackOff");
        assertThat(s.lastTerminatedReason()).isEqualTo("Error");
        assertThat(s.lastExitCode()).isEqualTo(2);
        assertThat(s.firstErrorLine()).isEqualTo("surge-app: Unknown option: --nope");
        assertThat(s.describe())
            .isEqualTo("CrashLoopBackOff (last exit code 2, Error; 1 restarts)");
        assertThat(p.serving()).isFalse();
      }
      assertThat(events)
          .extracting(RunEvent::message)
          .contains("container exited (code 2, Error): CrashLoopBackOff, restart 1 in 10s");
      // Still the same two pods: restarted in place, not replaced.
      assertThat(rs.lives()).hasSize(2);
    }
  }

  @Test
  void theJvmsOutOfMemoryExitIsRecordedAsOomKilled() throws Exception {
    try (ReplicaSet rs =
        replicaSet(
            "echo 'Terminating due to java.lang.OutOfMemoryError: Java heap space'; exit 3")) {
      rs.scaleTo(1);
      assertThat(rs.awaitReady(1, Duration.ofSeconds(60), () -> false))
          .isEqualTo(ReplicaSet.Readiness.CANNOT_START);
      Pod.ContainerStatus s = rs.pods().get(0).status();
      assertThat(s.lastTerminatedReason()).isEqualTo("OOMKilled");
      assertThat(s.lastExitCode()).isEqualTo(3);
    }
  }

  @Test
  void aDeletedPodIsGoneAndItsLifeEnds() throws Exception {
    try (ReplicaSet rs = replicaSet("exec sleep 60")) {
      rs.scaleTo(1);
      rs.scaleTo(0);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> rs.pods().isEmpty());
      assertThat(rs.lives()).hasSize(1);
      assertThat(rs.lives().get(0).end()).isNotNaN();
      assertThat(rs.pods()).isEmpty();
    }
  }

  @Test
  void aContainerThatFailsItsLivenessProbeIsKilledAndRestartedInPlace() throws Exception {
    // A container that answers /readyz but fails /livez and ignores SIGTERM, as a frozen app
    // would: the kubelet sends SIGTERM after failureThreshold failures, then SIGKILL after the
    // grace period, and restarts the container in the same pod.
    Path source = dir.resolve("Frozen.java");
    java.nio.file.Files.writeString(
        source,
        String.join(
            "\n",
            "import com.sun.net.httpserver.HttpServer;",
            "import java.net.InetSocketAddress;",
            "public class Frozen {",
            "  public static void main(String[] a) throws Exception {",
            "    sun.misc.Signal.handle(new sun.misc.Signal(\"TERM\"), s -> {});",
            "    HttpServer s = HttpServer.create(new InetSocketAddress(\"127.0.0.1\", 0), 0);",
            "    s.createContext(\"/\", x -> {",
            "      x.sendResponseHeaders(",
            "          x.getRequestURI().getPath().equals(\"/readyz\") ? 200 : 500, -1);",
            "      x.close();",
            "    });",
            "    s.start();",
            "    int p = s.getAddress().getPort();",
            "    System.out.println(\"surge-app started port=\" + p + \" metrics-port=\" + p);",
            "  }",
            "}"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    PodTemplate template = template(new Probe("/livez", 1, 1, 2));
    try (ReplicaSet rs =
        new ReplicaSet(
            template,
            name -> new ProcessBuilder(java, source.toString()),
            dir,
            () -> 0,
            endpoints -> {},
            (EventSink) events::add)) {
      rs.scaleTo(1);
      assertThat(rs.awaitReady(1, Duration.ofMinutes(2), () -> false))
          .isEqualTo(ReplicaSet.Readiness.READY);
      Pod pod = rs.pods().get(0);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> pod.status().restartCount() >= 1);
      Pod.ContainerStatus s = pod.status();
      assertThat(s.lastExitCode()).isEqualTo(137);
      assertThat(s.lastTerminatedReason()).isEqualTo("Error");
      assertThat(events)
          .extracting(RunEvent::message)
          .contains(
              "liveness probe /livez failed 2 times: the container is restarted (SIGTERM)",
              "grace period over: SIGKILL");
      // Restarted in place: the same pod, not a replacement.
      assertThat(rs.pods()).containsExactly(pod);
      assertThat(rs.lives()).hasSize(1);
    }
  }
}
