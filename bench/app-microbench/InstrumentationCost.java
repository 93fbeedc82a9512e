import dev.surge.app.metrics.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the app's per-request instrumentation costs, measured on the app's own Metrics class: the work the
 * exchange's completion and WorkEndpoint do per /api/work request with --metrics=true and skip with
 * --metrics=false (one clock read, the request counter and histogram cells, work counter + windowed summary
 * observe; the in-flight gauge is Jetty's own count, nothing per request), plus the begin clock read that Jetty
 * makes in both modes.
 * Not a test; run by bench/app-microbench.sh.
 */
public final class InstrumentationCost {
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    long perThread = Long.parseLong(args[1]);
    Metrics metrics =
        new Metrics(new PrometheusRegistry(), "bench", new Metrics.State(() -> 0, () -> 0, () -> 0, () -> 0, () -> 1, () -> 0));
    Metrics.Requests requests = metrics.requests(List.of("/api/work", "unmatched"));
    for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up; the last one is reported
      Thread[] workers = new Thread[threads];
      AtomicLong cpu = new AtomicLong();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        workers[t] =
            new Thread(
                () -> {
                  long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                  for (long i = 0; i < perThread; i++) {
                    // The app's begin time is Jetty's (read by Jetty in both modes): one clock read
                    // here is the begin, the other the one Requests.record makes.
                    long begin = System.nanoTime();
                    metrics.workDone(1_000 + (i & 1023));
                    requests.record(0, 0, 200, begin);
                  }
                  cpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart);
                });
        workers[t].start();
      }
      for (Thread w : workers) {
        w.join();
      }
      // Each thread runs perThread requests concurrently, so elapsed / perThread is one thread's time per request.
      double nsPerRequest = (System.nanoTime() - start) / (double) perThread;
      // CPU time per request counts only the workers' own cycles (cache-line transfers included), so it holds
      // on a machine that other sessions load; wall time per request does not.
      double cpuPerRequest = cpu.get() / (double) (perThread * threads);
      if (round == 2) {
        System.out.printf("%d thread(s): %.0f ns of a thread's time, %.0f ns of CPU per request spent on instrumentation%n",
            threads, nsPerRequest, cpuPerRequest);
      }
    }
  }
}
