package dev.surge.loadgen.distributed;

import dev.surge.common.Durations;
import dev.surge.loadgen.shard.ShardSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How this process takes part in a distributed run: its shard, every shard's address (shard 0 is
 * the coordinator), the port the coordinator listens on, and the deadlines. Immutable; built and
 * validated by the {@code run} command from {@code --peers} or {@code --peers-subdomain}.
 *
 * @param shard this process's shard (count >= 2)
 * @param peers one address per shard, shard 0 first
 * @param listenPort where shard 0 serves the coordinator endpoints (its metrics port)
 * @param joinTimeoutSeconds how long shard 0 waits for every shard to join, and a shard for the
 *     start
 * @param resultTimeoutSeconds after its own run, how long shard 0 waits for the other shards'
 *     results, and a shard keeps trying to deliver its own
 * @param serveSeconds how long shard 0 serves the merged result at {@code /shards/result}
 * @param startDelaySeconds once all shards joined, the start is this far in the future, so that
 *     every shard hears of it before it comes
 */
public record DistributedConfig(
    ShardSpec shard,
    List<Peer> peers,
    int listenPort,
    double joinTimeoutSeconds,
    double resultTimeoutSeconds,
    double serveSeconds,
    double startDelaySeconds) {

  /** Default {@code startDelaySeconds}: a few polls of every shard, even on a loaded machine. */
  public static final double START_DELAY_SECONDS = 2.0;

  public DistributedConfig {
    peers = List.copyOf(peers);
    if (shard.count() < 2) {
      throw new IllegalArgumentException("a distributed run needs at least 2 shards");
    }
    if (peers.size() != shard.count()) {
      throw new IllegalArgumentException(
          peers.size() + " peers for " + shard.count() + " shards (give one per shard)");
    }
  }

  /** Whether this process is shard 0, the coordinator. */
  public boolean coordinator() {
    return shard.index() == 0;
  }

  /** Shard 0's address. */
  public Peer coordinatorPeer() {
    return peers.get(0);
  }

  /**
   * Peers from {@code --peers host:port,...}: exactly one per shard, shard 0 (the coordinator)
   * first.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static List<Peer> parsePeers(List<String> items, ShardSpec shard) {
    if (shard.count() < 2) {
      throw new IllegalArgumentException(
          "a distributed run needs --shard i/N or --shards N with N >= 2 (this is shard "
              + shard
              + ")");
    }
    if (items.size() != shard.count()) {
      throw new IllegalArgumentException(
          items.size()
              + " peers given for "
              + shard.count()
              + " shards: give one host:port per shard, shard 0 (the coordinator) first");
    }
    List<Peer> out = new ArrayList<>();
    for (String item : items) {
      out.add(Peer.parse(item));
    }
    return out;
  }

  /**
   * Peers of an Indexed Job with a headless Service: shard i is {@code <job>-<i>.<subdomain>:port}
   * (the stable pod host names Kubernetes gives an Indexed Job's pods when {@code subdomain} is
   * set). The job name is this pod's {@code HOSTNAME} without its {@code -<index>} suffix.
   *
   * @throws IllegalArgumentException when HOSTNAME is missing or does not end with the index
   */
  public static List<Peer> jobPeers(
      String subdomain, int port, ShardSpec shard, Map<String, String> env) {
    if (!subdomain.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "'" + subdomain + "' is not a Service name (lower-case DNS label)");
    }
    if (shard.count() < 2) {
      throw new IllegalArgumentException(
          "a distributed run needs --shards N with N >= 2 (this is shard " + shard + ")");
    }
    if (port < 1) {
      throw new IllegalArgumentException(
          "needs --metrics-port PORT (1..65535): shard 0 coordinates on its metrics port");
    }
    String host = env.getOrDefault("HOSTNAME", "");
    String suffix = "-" + shard.index();
    if (!host.endsWith(suffix) || host.length() == suffix.length()) {
      throw new IllegalArgumentException(
          "HOSTNAME '"
              + host
              + "' is not <job>-"
              + shard.index()
              + " (an Indexed Job pod's host name for index "
              + shard.index()
              + ")");
    }
    String job = host.substring(0, host.length() - suffix.length());
    List<Peer> out = new ArrayList<>();
    for (int i = 0; i < shard.count(); i++) {
      out.add(new Peer(job + "-" + i + "." + subdomain, port));
    }
    return out;
  }

  /** The dry-run lines: who coordinates, where, and the deadlines. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < peers.size(); i++) {
      list.append(i == 0 ? "" : ", ").append(i).append('=').append(peers.get(i));
    }
    b.append(String.format("%-12s %s%n", "peers", list));
    b.append(
        String.format(
            "%-12s %s%n",
            "rendezvous",
            (coordinator()
                    ? "this shard coordinates on port " + listenPort
                    : "this shard joins " + coordinatorPeer().uri(CoordinatorHandler.BASE))
                + ", join timeout "
                + Durations.format(joinTimeoutSeconds)
                + ", result timeout "
                + Durations.format(resultTimeoutSeconds)
                + ", merged result served "
                + (serveSeconds > 0 ? "for " + Durations.format(serveSeconds) : "off")));
    return b.toString();
  }
}
