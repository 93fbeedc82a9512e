package dev.surge.app.endpoints;

import dev.surge.app.burn.ThreadCpu;
import dev.surge.app.http.Endpoint;
import dev.surge.app.http.Exchange;
import dev.surge.app.http.Params;
import dev.surge.app.metrics.WorkMetrics;

/**
 * {@code GET /api/work?cpuMillis=N}: burns N ms of this thread's CPU time (0..{@code
 * --max-cpu-millis}), counts a work unit and observes the CPU time used. The HPA demo's main
 * endpoint: rate × N ms = cores used.
 */
public final class WorkEndpoint implements Endpoint {
  private final int maxCpuMillis;
  private final WorkMetrics metrics;

  /**
   * @param metrics where work is counted ({@link WorkMetrics#OFF} when instrumentation is off)
   */
  public WorkEndpoint(int maxCpuMillis, WorkMetrics metrics) {
    this.maxCpuMillis = maxCpuMillis;
    this.metrics = metrics;
  }

  @Override
  public void handle(Exchange exchange) {
    String text = exchange.query("cpuMillis");
    long cpuMillis = text == null ? 0 : Params.integer("cpuMillis", text, 0, maxCpuMillis);
    long usedNanos = ThreadCpu.burn(cpuMillis * 1_000_000L);
    metrics.workDone(usedNanos);
    exchange.send(200, new Work(cpuMillis, usedNanos / 1e6));
  }

  /** The response body: what was asked and what was measured. */
  public record Work(long cpuMillis, double cpuMillisUsed) {}
}
