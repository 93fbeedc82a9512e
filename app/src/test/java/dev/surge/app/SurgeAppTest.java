package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;

/** The app's lifecycle: beans start in order and stop in reverse; a failed start unwinds. */
class SurgeAppTest {
  private static AppConfig.Builder config() {
    return AppConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .metricsPort(0)
        .instance("lifecycle")
        .drainDelay(Duration.ZERO)
        .shutdownTimeout(Duration.ofSeconds(5));
  }

  private static Set<Thread> appThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("surge-") || t.getName().startsWith("qtp"))
        .collect(Collectors.toSet());
  }

  private static void assertClosed(int port) {
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .as("port %d is closed", port)
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void startsEveryBeanInOrderAndStopsThemInReverse() throws Exception {
    SurgeApp app = SurgeApp.start(config().build());
    List<Object> beans = List.copyOf(app.getBeans());
    assertThat(beans).hasSize(4);
    assertThat(beans.get(0).toString()).isEqualTo("Closing[MemoryBurner]");
    assertThat(beans.get(1).toString()).isEqualTo("Closing[CpuBurner]");
    assertThat(beans.get(2)).isInstanceOf(MetricsServer.class);
    assertThat(beans.get(3)).isInstanceOf(org.eclipse.jetty.server.Server.class);
    assertThat(beans).allSatisfy(b -> assertThat(((LifeCycle) b).isStarted()).isTrue());
    assertThat(app.state()).isEqualTo(Lifecycle.State.READY);
    int port = app.port();
    int metricsPort = app.metricsPort();
    app.close();
    assertThat(beans).allSatisfy(b -> assertThat(((LifeCycle) b).isStopped()).isTrue());
    assertThat(app.state()).isEqualTo(Lifecycle.State.STOPPED);
    assertClosed(port);
    assertClosed(metricsPort);
  }

  @Test
  void theFirstScrapeRightAfterTheStartHasTheJvmAndProcessSeries() {
    // JvmMetrics registers once the app is ready, off the start-up path; a scrape that comes
    // first waits for it rather than miss a series the dashboards read.
    try (SurgeApp app = SurgeApp.start(config().build())) {
      String body = new TestHttp(app.metricsPort()).get("/metrics").body();
      assertThat(body)
          .contains("\njvm_memory_used_bytes{")
          .contains("\njvm_threads_current ")
          .contains("\njvm_gc_collection_seconds_count{")
          .contains("\nprocess_cpu_seconds_total ")
          .contains("\nsurge_ready 1");
    }
  }

  @Test
  void aTakenMetricsPortFailsTheStartNamingTheFlagAndLeavesNoThread() throws Exception {
    Set<Thread> before = appThreads();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> SurgeApp.start(config().metricsPort(port).build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot listen on --metrics-port " + port + " at 127.0.0.1: ");
    }
    await("threads of the failed start end")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(appThreads()).isSubsetOf(before));
  }

  @Test
  void aTakenAppPortUnwindsTheMetricsServerThatAlreadyStarted() throws Exception {
    Set<Thread> before = appThreads();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SurgeApp app = new SurgeApp(config().port(taken.getLocalPort()).build());
      Exception failure = catchException(app::start);
      assertThat(failure).isNotNull();
      // Jetty's ContainerLifeCycle stopped the beans that had started, in reverse.
      int metricsPort = app.metricsPort();
      assertThat(metricsPort).isPositive();
      assertClosed(metricsPort);
      assertThat(app.failedStart(failure))
          .hasMessageStartingWith(
              "cannot listen on --port " + taken.getLocalPort() + " at 127.0.0.1: ");
      assertThat(app.getBeans()).allSatisfy(b -> assertThat(((LifeCycle) b).isRunning()).isFalse());
      assertThat(app.state()).isEqualTo(Lifecycle.State.STOPPED);
    }
    await("threads of the failed start end")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(appThreads()).isSubsetOf(before));
  }
}
