package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.testing.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code run --peers/--peers-subdomain}: validation and the dry-run plan, in-process. */
class DistributedOptionsTest {
  private static final String BASE = "run --url http://127.0.0.1:1/ --rate 30 --duration 2s ";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "index >= N|--shard 3/3 --peers a:1,b:2,c:3|--shard|shard index must be 0..2",
        "too few peers|--shard 1/3 --peers a:1,b:2|--peers|2 peers given for 3 shards",
        "too many peers|--shard 1/2 --peers a:1,b:2,c:3|--peers|3 peers given for 2 shards",
        "peers without shards|--peers a:1,b:2|--peers|needs --shard i/N",
        "no port|--shard 1/2 --peers a,b:2|--peers|'a' is not host:port",
        "port 0|--shard 1/2 --peers a:0,b:2|--peers|port must be 1..65535",
        "both ways|--shard 1/2 --peers a:1,b:2 --peers-subdomain svc|--peers-subdomain|either",
        "metrics port elsewhere|--shard 0/2 --peers a:9000,b:2 --metrics-port 9001|--metrics-port 9001|port 9000",
        "zero join timeout|--shard 1/2 --peers a:1,b:2 --join-timeout 0s|--join-timeout|must be > 0",
        "bare join timeout|--shard 1/2 --peers a:1,b:2 --join-timeout 5|--join-timeout|5",
        "subdomain without port|--shard 1/2 --peers-subdomain svc|--peers-subdomain|--metrics-port",
        "subdomain without pod hostname|--shard 1/2 --metrics-port 8082 --peers-subdomain svc|HOSTNAME|<job>-1"
      })
  void badDistributedInputExitsTwoNamingTheFlag(
      String name, String args, String flag, String message) {
    Cli.Result r = Cli.run((BASE + args + " --dry-run").split(" "));
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(flag).contains(message);
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void dryRunNamesThePeersAndWhoCoordinates() {
    Cli.Result r =
        Cli.run(
            (BASE + "--shard 2/3 --peers 10.0.0.1:8082,10.0.0.2:8082,10.0.0.3:8082 --dry-run")
                .split(" "));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("peers        0=10.0.0.1:8082, 1=10.0.0.2:8082, 2=10.0.0.3:8082")
        .contains("this shard joins http://10.0.0.1:8082/shards")
        .contains("join timeout 2m");
  }

  @Test
  void anIndexedJobPodFindsItsPeersFromItsHostnameAndTheSubdomain() {
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("JOB_COMPLETION_INDEX", "0", "HOSTNAME", "surge-loadgen-0"),
            (BASE + "--shards 2 --metrics-port 8082 --peers-subdomain surge-loadgen --dry-run")
                .split(" "));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("0=surge-loadgen-0.surge-loadgen:8082, 1=surge-loadgen-1.surge-loadgen:8082")
        .contains("this shard coordinates on port 8082");
  }

  @Test
  void peersComeFromTheEnvironmentToo() {
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("SURGE_LOADGEN_PEERS", "h0:7000,h1:7000", "SURGE_LOADGEN_SHARD", "1/2"),
            (BASE + "--dry-run").split(" "));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("peers        0=h0:7000, 1=h1:7000");
  }
}
