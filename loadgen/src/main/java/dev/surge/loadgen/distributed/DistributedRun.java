package dev.surge.loadgen.distributed;

import dev.surge.common.Durations;
import dev.surge.common.cli.ExitCode;
import dev.surge.loadgen.events.RunEvent;
import dev.surge.loadgen.metrics.LoadgenMetrics;
import dev.surge.loadgen.metrics.Pushgateway;
import dev.surge.loadgen.output.HistogramCodec;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.SummaryPrinter;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.run.LoadRun;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.ui.LiveView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * One shard of a distributed run that ends in one answer. Every shard warms up, joins shard 0 and
 * starts its schedule at the one instant shard 0 gives out, so interval k is the same wall-clock
 * second on every shard. At the end every shard sends its result with its interval histograms to
 * shard 0, which merges them exactly, evaluates the thresholds on the merged figures, prints the
 * merged summary, writes {@code --out}, pushes the merged figures, serves the merged JSON for
 * {@code --serve-result}, and returns the verdict as its exit code. The other shards exit 0 once
 * their result is delivered.
 *
 * <pre>{@code
 * LoadRun.Outcome o = new DistributedRun(cfg, dist, out, err, version).execute(stop, port -> {}, () -> "");
 * }</pre>
 */
public final class DistributedRun {
  private final RunConfig cfg;
  private final DistributedConfig dist;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String version;
  private LiveView live = LiveView.off();

  public DistributedRun(
      RunConfig cfg, DistributedConfig dist, PrintWriter out, PrintWriter err, String version) {
    this.cfg = cfg;
    this.dist = dist;
    this.out = out;
    this.err = err;
    this.version = version;
  }

  /**
   * Shows this shard's run on the live page ({@code --ui}); on shard 0 the page's end is the merged
   * result. Default is {@link LiveView#off()}. The caller closes the view.
   */
  public DistributedRun live(LiveView view) {
    this.live = view;
    return this;
  }

  /**
   * Runs this shard; on shard 0 the outcome is the merged result and the verdict.
   *
   * @throws RendezvousException when the run could not be set up or the result not delivered
   */
  public LoadRun.Outcome execute(
      AtomicBoolean stop, IntConsumer onStarted, Supplier<String> progressSuffix) {
    return dist.coordinator()
        ? coordinate(stop, onStarted, progressSuffix)
        : participate(stop, onStarted, progressSuffix);
  }

  private LoadRun.Outcome participate(
      AtomicBoolean stop, IntConsumer onStarted, Supplier<String> progressSuffix) {
    ShardClient client = new ShardClient(dist);
    IntervalHistograms intervals = new IntervalHistograms();
    out.println(
        "shard    "
            + dist.shard()
            + ": joining shard 0 at "
            + dist.coordinatorPeer()
            + " (thresholds are judged there on the merged result)");
    out.flush();
    // Thresholds and the push belong to the merged result; this shard's --out is its own share.
    RunConfig own = ownShare(cfg, true);
    LoadRun.Outcome mine =
        new LoadRun(own, out, err, version)
            .live(live)
            .progressSuffix(progressSuffix)
            .intervalListener(intervals)
            .startGate(
                s -> {
                  Instant start = client.join(cfg.profile().toString(), s);
                  return announce(sleepUntil(start, s));
                })
            .execute(stop, onStarted);
    client.deliver(
        new ShardReport(
            dist.shard().index(), dist.shard().count(), mine.result(), intervals.encoded()));
    out.println("sent     result to shard 0 at " + dist.coordinatorPeer());
    out.flush();
    return new LoadRun.Outcome(mine.result(), ExitCode.OK.code(), mine.metricsPort());
  }

  private LoadRun.Outcome coordinate(
      AtomicBoolean stop, IntConsumer onStarted, Supplier<String> progressSuffix) {
    Rendezvous rendezvous =
        new Rendezvous(
            dist.shard().count(),
            cfg.profile().toString(),
            Duration.ofMillis(Math.round(dist.startDelaySeconds() * 1000)));
    LoadgenMetrics metrics;
    try {
      metrics = LoadgenMetrics.create(dist.listenPort(), new CoordinatorHandler(rendezvous));
    } catch (UncheckedIOException e) {
      throw new RendezvousException(
          ExitCode.USAGE,
          "shard "
              + dist.shard()
              + ": cannot listen on port "
              + dist.listenPort()
              + " (shard 0's port in --peers): "
              + e.getMessage(),
          e);
    }
    try (metrics) {
      out.println(
          "shard    "
              + dist.shard()
              + ": coordinating on port "
              + metrics.port()
              + " ("
              + CoordinatorHandler.BASE
              + "); waiting up to "
              + Durations.format(dist.joinTimeoutSeconds())
              + " for shards 1.."
              + (dist.shard().count() - 1));
      out.flush();
      IntervalHistograms intervals = new IntervalHistograms();
      RunConfig own = ownShare(cfg, false);
      LoadRun.Outcome mine =
          new LoadRun(own, out, err, version)
              // The page's end comes with the merged result.
              .live(
                  LiveView.withoutEnd(
                      live,
                      ownResult ->
                          live.events()
                              .publish(
                                  new RunEvent(
                                      Double.NaN,
                                      RunEvent.Kind.RUN,
                                      "shard 0",
                                      "own share done; waiting for the other shards' results to"
                                          + " merge"))))
              .progressSuffix(progressSuffix)
              .metrics(metrics)
              .intervalListener(intervals)
              .startGate(
                  s -> {
                    Instant start =
                        rendezvous.awaitStart(
                            Duration.ofMillis(Math.round(dist.joinTimeoutSeconds() * 1000)), s);
                    return announce(sleepUntil(start, s));
                  })
              .execute(stop, onStarted);
      rendezvous.report(
          new ShardReport(0, dist.shard().count(), mine.result(), intervals.encoded()));
      // Counted from the end of shard 0's own run: the others ended at about the same time (same
      // start, same schedule) unless they are still draining, which the default timeout covers.
      Instant deadline = Instant.now().plusMillis(Math.round(dist.resultTimeoutSeconds() * 1000));
      Map<Integer, ShardReport> reports = rendezvous.awaitReports(deadline, stop);
      RunResult merged = ShardMerge.merge(reports, dist.shard().count(), cfg.thresholds());
      out.println();
      out.println(
          "merged   "
              + reports.size()
              + " of "
              + dist.shard().count()
              + " shards "
              + reports.keySet()
              + ", started together at "
              + merged.startedAt());
      SummaryPrinter.print(out, merged.summary(), merged.checks());
      cfg.out()
          .ifPresent(
              path -> {
                ResultWriter.write(merged, path);
                reports.forEach((i, r) -> ResultWriter.write(r.result(), shardFile(path, i)));
                out.println(
                    "result   " + path + " (and each shard's as " + shardFile(path, 0) + ", ...)");
              });
      cfg.pushgateway().ifPresent(gateway -> push(gateway, merged.summary()));
      live.ended(merged);
      rendezvous.publish(json(merged));
      if (dist.serveSeconds() > 0 && !stop.get()) {
        out.println(
            "serving  the merged result at http://<this host>:"
                + metrics.port()
                + CoordinatorHandler.BASE
                + "/result for "
                + Durations.format(dist.serveSeconds()));
        out.flush();
        long until = System.nanoTime() + (long) (dist.serveSeconds() * 1e9);
        while (System.nanoTime() - until < 0 && !stop.get()) {
          LockSupport.parkNanos(50_000_000L);
        }
      }
      out.flush();
      return new LoadRun.Outcome(
          merged,
          merged.checks().passed() ? ExitCode.OK.code() : ExitCode.FAILED.code(),
          metrics.port());
    }
  }

  /**
   * Where shard 0 keeps shard i's own result beside the merged {@code --out}: {@code result.json ->
   * result.shard-1.json}.
   */
  public static Path shardFile(Path merged, int index) {
    String name = merged.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return merged.resolveSibling(stem + ".shard-" + index + ext);
  }

  /** Says when the run starts and how late this shard woke for it; returns {@code start}. */
  private Instant announce(Instant start) {
    double lateMillis = Duration.between(start, Instant.now()).toNanos() / 1e6;
    out.println(
        String.format(
            Locale.ROOT,
            "start    %s (the same instant on every shard; this shard woke %.1f ms after it)",
            start,
            lateMillis));
    out.flush();
    return start;
  }

  /** Parks until the wall clock reaches {@code start} (or the stop flag rises); returns it. */
  private static Instant sleepUntil(Instant start, AtomicBoolean stop) {
    while (!stop.get()) {
      long left = Duration.between(Instant.now(), start).toNanos();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(Math.min(left, 50_000_000L));
    }
    return start;
  }

  private void push(URI gateway, Summary s) {
    URI uri = Pushgateway.pushUri(gateway.toString(), null);
    try (LoadgenMetrics figures = LoadgenMetrics.create(-1)) {
      // The whole run as one interval: the same metrics a single run pushes, for all shards.
      figures.update(
          new Interval(
              0,
              s.durationSeconds(),
              HistogramCodec.decode(s.histograms().corrected()),
              HistogramCodec.decode(s.histograms().uncorrected()),
              s.requests(),
              s.ok(),
              s.errors(),
              s.dropped(),
              s.late(),
              s.unfinished(),
              s.errorsByKind(),
              s.statusCodes(),
              s.backends()),
          cfg.profile().rateAt(s.durationSeconds()));
      Pushgateway.push(uri, figures.registry());
      out.println("pushed   " + uri + " (merged)");
    } catch (IOException | RuntimeException e) {
      // The merged result file still holds the figures; a failed push is reported, not fatal.
      err.println("warning: push to " + uri + " failed: " + e.getMessage());
    }
  }

  private static String json(RunResult r) {
    try {
      return ResultWriter.JSON.writeValueAsString(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The run's config for this shard's own share: the thresholds are judged on the merged result and
   * the push carries the merged figures, so this shard's own run has neither; its {@code --out}
   * only when {@code keepOut} (shard 0's {@code --out} is the merged result).
   */
  private static RunConfig ownShare(RunConfig c, boolean keepOut) {
    RunConfig.Builder b =
        RunConfig.builder()
            .mix(c.mix())
            .profile(c.profile())
            .shard(c.shard())
            .connections(c.connections())
            .http2(c.http2())
            .maxInFlight(c.maxInFlight())
            .maxConnectionAgeMillis(c.maxConnectionAgeMillis())
            .idleTimeoutMillis(c.idleTimeoutMillis())
            .connectTimeoutMillis(c.connectTimeoutMillis())
            .requestTimeoutMillis(c.requestTimeoutMillis())
            .catchUp(c.catchUp())
            .metricsPort(c.metricsPort())
            .abort(c.abort())
            .progress(c.progress())
            .drainSeconds(c.drainSeconds())
            .described(c.described());
    c.hdrLog().ifPresent(b::hdrLog);
    if (keepOut) {
      c.out().ifPresent(b::out);
    }
    return b.build();
  }
}
