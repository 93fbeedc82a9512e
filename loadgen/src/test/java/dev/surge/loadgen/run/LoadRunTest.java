package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.scenario.RequestMix;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's lifecycle: parts start in order and stop in reverse, a failed start unwinds, and no
 * interval thread, HDR log handle or metrics port outlives a run that fails at any point. The
 * target is a closed port (nothing needs to answer) and HTTP/2 skips the loopback JIT warm-up, so
 * each run takes well under a second.
 */
class LoadRunTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private RunConfig.Builder config() {
    return RunConfig.builder()
        .mix(RequestMix.single(RequestTemplate.get("http://127.0.0.1:1/")))
        .profile(RateProfile.constant(5, 60))
        .http2(true)
        .metricsPort(0)
        .progress(RunConfig.ProgressMode.OFF)
        .hdrLog(dir.resolve("run.hlog"));
  }

  private LoadRun run(RunConfig cfg, List<? extends LifeCycle> extra) {
    return new LoadRun(cfg, new PrintWriter(out, true), new PrintWriter(err, true), "test", extra);
  }

  /** A part that records when it starts and stops, and fails to start when told. */
  static final class Part extends AbstractLifeCycle {
    private final String name;
    private final List<String> events;
    private final boolean fail;

    Part(String name, List<String> events, boolean fail) {
      this.name = name;
      this.events = events;
      this.fail = fail;
    }

    @Override
    protected void doStart() {
      if (fail) {
        throw new IllegalStateException(name + " cannot start");
      }
      events.add("start " + name);
    }

    @Override
    protected void doStop() {
      events.add("stop " + name);
    }
  }

  @Test
  void aFailedStartStopsThePartsAlreadyStartedInReverseAndStartsNoMore() {
    List<String> events = new ArrayList<>();
    LoadRun run =
        run(
            config().build(),
            List.of(
                new Part("a", events, false),
                new Part("b", events, false),
                new Part("broken", events, true),
                new Part("never", events, false)));

    assertThatThrownBy(() -> run.execute(new AtomicBoolean(), port -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broken cannot start");

    assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
    assertEverythingStopped(run);
    assertThat(intervalThreads()).isEmpty();
    assertThat(Files.exists(dir.resolve("run.hlog"))).as("the timeline never started").isFalse();
  }

  @Test
  void aFailureWhileRunningStopsTheIntervalThreadAndClosesTheHdrLog() throws Exception {
    AtomicInteger servedOn = new AtomicInteger(-1);
    LoadRun run = run(config().build(), List.of());

    assertThatThrownBy(
            () ->
                run.execute(
                    new AtomicBoolean(),
                    port -> {
                      servedOn.set(port);
                      assertThat(intervalThreads()).as("running while started").hasSize(1);
                      throw new IllegalStateException("the live view broke");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the live view broke");

    assertEverythingStopped(run);
    await().atMost(Duration.ofSeconds(10)).until(() -> intervalThreads().isEmpty());
    assertThat(openHandlesTo(dir.resolve("run.hlog"))).isZero();
    assertThat(Files.readString(dir.resolve("run.hlog")))
        .as("the log was written and closed, with the last partial interval")
        .contains("#[StartTime:")
        .contains("Tag=corrected");
    assertThat(servedOn.get()).isPositive();
    assertThat(accepts(servedOn.get())).as("metrics port closed").isFalse();
  }

  @Test
  void anHdrLogThatCannotBeOpenedIsAUsageErrorAndUnwindsTheClientAndMetrics() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    LoadRun run = run(config().hdrLog(file.resolve("run.hlog")).build(), List.of());

    assertThatThrownBy(() -> run.execute(new AtomicBoolean(), port -> {}))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--hdr-log: cannot write HDR log " + file.resolve("run.hlog"));

    assertEverythingStopped(run);
    assertThat(intervalThreads()).isEmpty();
  }

  @Test
  void aMetricsPortInUseIsAUsageErrorNamingTheFlag() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      LoadRun run = run(config().metricsPort(taken.getLocalPort()).build(), List.of());
      assertThatThrownBy(() -> run.execute(new AtomicBoolean(), port -> {}))
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith("--metrics-port " + taken.getLocalPort() + ": ");
      assertEverythingStopped(run);
    }
  }

  @Test
  void aStoppedRunReportsAndLeavesNothingRunning() throws IOException {
    AtomicBoolean stop = new AtomicBoolean();
    LoadRun run = run(config().build(), List.of());

    LoadRun.Outcome o = run.execute(stop, port -> stop.set(true));

    assertThat(o.exitCode()).isZero();
    assertThat(out.toString()).contains("stopped by signal after 0s");
    assertEverythingStopped(run);
    await().atMost(Duration.ofSeconds(10)).until(() -> intervalThreads().isEmpty());
    assertThat(openHandlesTo(dir.resolve("run.hlog"))).isZero();
  }

  private static void assertEverythingStopped(LoadRun run) {
    assertThat(run.isRunning()).isFalse();
    List<LifeCycle> parts = new ArrayList<>(run.getBeans(LifeCycle.class));
    run.getBeans(Timeline.class).forEach(t -> parts.addAll(t.getBeans(LifeCycle.class)));
    assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(parts).allSatisfy(p -> assertThat(p.isRunning()).as(p.toString()).isFalse());
  }

  private static List<Thread> intervalThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(IntervalTicker.THREAD_NAME) && t.isAlive())
        .toList();
  }

  /** File descriptors of this process open on {@code file} (Linux: /proc/self/fd). */
  private static long openHandlesTo(Path file) throws IOException {
    Path target = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                  return false; // closed while listing (e.g. the listing's own descriptor)
                }
              })
          .count();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
