package dev.surge.systest.image;

import dev.surge.systest.support.Commands;
import dev.surge.testkit.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A one-node pod network for container tests, as a CNI bridge plugin makes it: a Linux bridge on
 * the host with the node's address {@code 10.213.N.1/24}, and for each pod a network namespace
 * whose {@code eth0} (one end of a veth pair, the other on the bridge) has {@code 10.213.N.<i+2>}.
 * So each pod binds the ports its manifest names (8080, 8081, 8082) without clashing with the
 * machine's, the test reaches it at its pod IP, and pods reach each other over the bridge. {@link
 * #close()} deletes the namespaces, veths and the bridge.
 *
 * <p>Not thread-safe: one test thread creates the pods.
 */
final class PodNetwork implements AutoCloseable {
  /** One pod's network namespace and address. */
  record Pod(String name, String netns, String ip) {}

  private final Path ip;
  private final String id;
  private final String subnet;
  private final String bridge;
  private final List<Pod> pods = new ArrayList<>();
  private final List<String> hostVeths = new ArrayList<>();

  private PodNetwork(Path ip, String id, String subnet) {
    this.ip = ip;
    this.id = id;
    this.subnet = subnet;
    this.bridge = "sb" + id;
  }

  /** A bridge on a /24 of 10.213.0.0/16 that no interface of this machine uses. */
  static PodNetwork create() {
    Path ip = Tools.require("ip", "iproute2");
    String addresses = run(ip, List.of("-4", "-o", "addr")).stdout();
    String subnet = null;
    for (int tries = 0; tries < 50 && subnet == null; tries++) {
      String candidate = "10.213." + ThreadLocalRandom.current().nextInt(256);
      if (!addresses.contains(candidate + ".")) {
        subnet = candidate;
      }
    }
    if (subnet == null) {
      throw new AssertionError("no free /24 in 10.213.0.0/16 for the pod network");
    }
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    PodNetwork network = new PodNetwork(ip, id, subnet);
    try {
      run(ip, List.of("link", "add", network.bridge, "type", "bridge"));
      run(ip, List.of("addr", "add", subnet + ".1/24", "dev", network.bridge));
      run(ip, List.of("link", "set", network.bridge, "up"));
      return network;
    } catch (RuntimeException | Error e) {
      network.close();
      throw e;
    }
  }

  /** The node's (the host's) address on the pod network. */
  String nodeIp() {
    return subnet + ".1";
  }

  /** A new pod: its namespace, veth pair and address. */
  Pod addPod(String name) {
    int index = pods.size();
    String netns = "surge-" + id + "-" + index;
    String hostVeth = "sv" + id + index;
    String podIp = subnet + "." + (index + 2);
    run(ip, List.of("netns", "add", netns));
    Pod pod = new Pod(name, netns, podIp);
    pods.add(pod);
    run(
        ip,
        List.of("link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns));
    hostVeths.add(hostVeth);
    run(ip, List.of("link", "set", hostVeth, "master", bridge));
    run(ip, List.of("link", "set", hostVeth, "up"));
    run(ip, List.of("-n", netns, "addr", "add", podIp + "/24", "dev", "eth0"));
    run(ip, List.of("-n", netns, "link", "set", "eth0", "up"));
    run(ip, List.of("-n", netns, "link", "set", "lo", "up"));
    return pod;
  }

  @Override
  public void close() {
    for (String veth : hostVeths) {
      Commands.run(List.of(ip.toString(), "link", "del", veth));
    }
    for (Pod pod : pods) {
      Commands.run(List.of(ip.toString(), "netns", "del", pod.netns()));
    }
    Commands.run(List.of(ip.toString(), "link", "del", bridge));
  }

  private static Commands.Result run(Path ip, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ip.toString());
    command.addAll(args);
    Commands.Result r = Commands.run(command, Path.of("/"), Map.of(), Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
    return r;
  }
}
