package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code run} command's validation and {@code --dry-run}, in-process; nothing is sent. */
class RunCommandTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad URL|--url notaurl --rate 10|--url|notaurl",
        "ftp URL|--url ftp://x/y --rate 10|--url|ftp://x/y",
        "unknown stage|--url http://127.0.0.1:1/ --profile burst:100/1m|--profile|burst",
        "malformed threshold|--url http://127.0.0.1:1/ --rate 10 --threshold p99<<1ms|--threshold|p99<<1ms",
        "unknown threshold metric|--url http://127.0.0.1:1/ --rate 10 --threshold p42<1ms|--threshold|p42",
        "negative rate|--url http://127.0.0.1:1/ --rate -5|--rate|-5",
        "bare-number duration|--url http://127.0.0.1:1/ --rate 5 --duration 60|--duration|60",
        "zero connections|--url http://127.0.0.1:1/ --rate 5 --connections 0|--connections|0",
        "bad shard|--url http://127.0.0.1:1/ --rate 5 --shard 4/4|--shard|4",
        "shards without index|--url http://127.0.0.1:1/ --rate 5 --shards 3|--shards|JOB_COMPLETION_INDEX",
        "rate and profile|--url http://127.0.0.1:1/ --rate 5 --profile hold:5/1s|--rate|--profile",
        "no load shape|--url http://127.0.0.1:1/|--rate|--profile",
        "no target|--rate 5|--url|--scenario",
        "bad catch-up|--url http://127.0.0.1:1/ --rate 5 --catch-up later|--catch-up|later",
        "missing scenario|--scenario /nonexistent/s.yaml|--scenario|/nonexistent/s.yaml",
        "non-numeric rate|--url http://127.0.0.1:1/ --rate fast|--rate|fast",
        "http2 over https|--url https://127.0.0.1:1/ --rate 5 --http2|--http2|https://127.0.0.1:1/",
        "unknown flag|--url http://127.0.0.1:1/ --rate 5 --rqte 6|--rqte|--rqte",
        "zero max rate|--url http://127.0.0.1:1/ --rate 5 --max-rate 0|--max-rate|got 0",
        "bad max connection age|--url http://127.0.0.1:1/ --rate 5 --max-connection-age never|--max-connection-age|never",
        "bad pushgateway|--url http://127.0.0.1:1/ --rate 5 --pushgateway gw:9091|--pushgateway|gw:9091",
        "metrics port out of range|--url http://127.0.0.1:1/ --rate 5 --metrics-port 70000|--metrics-port|70000",
        "bad progress mode|--url http://127.0.0.1:1/ --rate 5 --progress fancy|--progress|fancy",
        "bad header|--url http://127.0.0.1:1/ --rate 5 -H nocolon|--header|nocolon",
        "bad method|--url http://127.0.0.1:1/ --rate 5 --method G3T|--method|G3T",
        "zero duration|--url http://127.0.0.1:1/ --rate 5 --duration 0s|--duration|0s",
        "bad abort condition|--url http://127.0.0.1:1/ --rate 5 --abort-on errors>>1%|--abort-on|errors>>1%"
      })
  void badInputExitsTwoNamingTheFlagAndValueWithoutAStackTrace(
      String name, String args, String flag, String value) {
    Cli.Result r = Cli.run(("run " + args).split(" "));
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(flag).contains(value);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void dryRunPrintsTheResolvedPlanAndSendsNothing() {
    Cli.Result r =
        Cli.run(
            "run",
            "--url",
            "http://127.0.0.1:1/api/work?cpuMillis=20",
            "--profile",
            "ramp:0->400/2m,hold:400/5m,ramp-down:400/2m",
            "--shard",
            "1/4",
            "--connections",
            "16",
            "--max-connection-age",
            "10s",
            "--threshold",
            "p99<250ms",
            "--threshold",
            "errors<1%",
            "--pushgateway",
            "http://pushgateway:9091",
            "--metrics-port",
            "8082",
            "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("GET http://127.0.0.1:1/api/work?cpuMillis=20")
        .contains("ramp:0->400/2m,hold:400/5m,ramp:400->0/2m")
        .contains("duration     9m")
        .contains("peak 400 req/s")
        .contains("1/4: peak 100 req/s, 42000 requests")
        .contains("connections 16 per target")
        .contains("max connection age 10s")
        .contains("http://pushgateway:9091/metrics/job/surge-loadgen/shard/1")
        .contains("port 8082")
        .contains("p99<250ms, errors<1%");
  }

  @Test
  void environmentFillsFlagsAndJobIndexPicksTheShard() {
    Cli.Result r =
        Cli.runWithEnv(
            Map.of(
                "SURGE_LOADGEN_URL", "http://127.0.0.1:1/x",
                "SURGE_LOADGEN_RATE", "90",
                "SURGE_LOADGEN_DURATION", "10s",
                "SURGE_LOADGEN_SHARDS", "3",
                "JOB_COMPLETION_INDEX", "2",
                "SURGE_LOADGEN_THRESHOLD", "p99<1s;errors<2%"),
            "run",
            "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("hold:90/10s")
        .contains("2/3: peak 30 req/s, 300 requests")
        .contains("p99<1s, errors<2%");
  }

  @Test
  void flagWinsOverEnvironment() {
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("SURGE_LOADGEN_RATE", "90"),
            "run",
            "--url",
            "http://127.0.0.1:1/",
            "--rate",
            "10",
            "--duration",
            "1s",
            "--dry-run");
    assertThat(r.out()).contains("hold:10/1s");
  }

  @Test
  void badEnvironmentValueNamesTheFlag() {
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("SURGE_LOADGEN_CONNECTIONS", "many"),
            "run",
            "--url",
            "http://127.0.0.1:1/",
            "--rate",
            "10",
            "--dry-run");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--connections").contains("many");
  }

  @Test
  void scenarioFileGivesStagesAndAWeightedMix() throws Exception {
    Path s = dir.resolve("s.yaml");
    Files.writeString(
        s,
        """
        baseUrl: http://127.0.0.1:1
        stages: ["ramp:0->100/10s", "hold:100/20s"]
        requests:
          - url: /api/work?cpuMillis=20
            weight: 3
          - method: POST
            url: /api/work
            body: '{"a":1}'
            headers: {X-Test: yes}
        """);
    Cli.Result r = Cli.run("run", "--scenario", s.toString(), "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("GET http://127.0.0.1:1/api/work?cpuMillis=20  (75.0%)")
        .contains("POST http://127.0.0.1:1/api/work (7 bytes body)  (25.0%)")
        .contains("ramp:0->100/10s,hold:100/20s");
  }

  @Test
  void scenarioWithUnknownKeyIsAUsageError() throws Exception {
    Path s = dir.resolve("bad.json");
    Files.writeString(s, "{\"requests\":[{\"url\":\"http://127.0.0.1:1/\"}],\"rtae\":5}");
    Cli.Result r = Cli.run("run", "--scenario", s.toString(), "--rate", "5", "--dry-run");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--scenario").contains("rtae");
  }

  @Test
  void maxRateCapsTheProfile() {
    Cli.Result r =
        Cli.run(
            "run",
            "--url",
            "http://127.0.0.1:1/",
            "--profile",
            "ramp:0->1000/10s",
            "--max-rate",
            "500",
            "--dry-run");
    assertThat(r.out()).contains("(capped at 500 req/s)").contains("peak 500 req/s");
  }
}
