package dev.surge.loadgen.cli;

import dev.surge.common.cli.Converters;
import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.distributed.DistributedConfig;
import dev.surge.loadgen.distributed.Peer;
import dev.surge.loadgen.run.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code run}'s options for a distributed run that ends in one answer (a picocli mixin): where the
 * shards are, and the deadlines of the rendezvous. Without {@code --peers} or {@code
 * --peers-subdomain} a sharded run is independent, as before.
 */
final class DistributedOptions {
  @Option(
      names = "--peers",
      paramLabel = "HOST:PORT",
      split = ",",
      description =
          "Every shard's address, shard 0 first (it coordinates on that port, its metrics port): "
              + "shards start together and shard 0 merges the results and judges the thresholds.")
  List<String> peers = new ArrayList<>();

  @Option(
      names = "--peers-subdomain",
      paramLabel = "SERVICE",
      description =
          "Indexed Job with this headless Service as subdomain: shard i is "
              + "<job>-<i>.SERVICE:<metrics port> (the job name from HOSTNAME). Instead of --peers.")
  String subdomain;

  @Option(
      names = "--join-timeout",
      paramLabel = "DUR",
      defaultValue = "2m",
      converter = Converters.Seconds.class,
      description =
          "How long shard 0 waits for every shard to join, and a shard for the start. "
              + "Default: ${DEFAULT-VALUE}.")
  double joinTimeout;

  @Option(
      names = "--result-timeout",
      paramLabel = "DUR",
      defaultValue = "60s",
      converter = Converters.Seconds.class,
      description =
          "After its own run, how long shard 0 waits for the other shards' results (keep it above "
              + "--drain-timeout; the missing ones are named in the merged result), and a shard "
              + "keeps trying to deliver its own. Default: ${DEFAULT-VALUE}.")
  double resultTimeout;

  @Option(
      names = "--serve-result",
      paramLabel = "DUR",
      defaultValue = "0s",
      converter = Converters.Seconds.class,
      description =
          "Shard 0 serves the merged result JSON at /shards/result on its port this long before it "
              + "exits. Default: ${DEFAULT-VALUE}.")
  double serveResult;

  /**
   * The distributed setup, or empty for an independent run.
   *
   * @throws UsageException naming the flag and the value
   */
  Optional<DistributedConfig> resolve(RunConfig cfg, Map<String, String> env) {
    boolean byList = !peers.isEmpty();
    if (!byList && subdomain == null) {
      return Optional.empty();
    }
    if (byList && subdomain != null) {
      throw new UsageException(
          "--peers-subdomain '" + subdomain + "': give either --peers or --peers-subdomain");
    }
    positive("--join-timeout", joinTimeout);
    positive("--result-timeout", resultTimeout);
    if (serveResult < 0) {
      throw new UsageException("--serve-result: must not be negative, got " + serveResult);
    }
    List<Peer> list;
    int listen;
    if (byList) {
      list =
          UsageException.fromInvalid(
              "--peers '" + String.join(",", peers) + "'",
              () -> DistributedConfig.parsePeers(peers, cfg.shard()));
      listen = list.get(0).port();
      if (cfg.shard().index() == 0 && cfg.metricsPort() > 0 && cfg.metricsPort() != listen) {
        throw new UsageException(
            "--metrics-port "
                + cfg.metricsPort()
                + ": shard 0 coordinates on its metrics port, and --peers gives it port "
                + listen);
      }
    } else {
      list =
          UsageException.fromInvalid(
              "--peers-subdomain '" + subdomain + "'",
              () -> DistributedConfig.jobPeers(subdomain, cfg.metricsPort(), cfg.shard(), env));
      listen = cfg.metricsPort();
    }
    return Optional.of(
        new DistributedConfig(
            cfg.shard(),
            list,
            listen,
            joinTimeout,
            resultTimeout,
            serveResult,
            DistributedConfig.START_DELAY_SECONDS));
  }

  private static void positive(String flag, double seconds) {
    if (!(seconds > 0)) {
      throw new UsageException(flag + ": must be > 0, got " + seconds + "s");
    }
  }
}
