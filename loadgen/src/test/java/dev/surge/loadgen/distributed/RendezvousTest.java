package dev.surge.loadgen.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.common.cli.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  private final Rendezvous r = new Rendezvous(3, "hold:10/5s", Duration.ofSeconds(2));

  @Test
  void theStartIsDecidedWhenTheLastShardJoinsAndIsTheSameForEveryone() {
    assertThat(r.join(2, 3, "hold:10/5s")).isNull();
    assertThat(r.join(1, 3, "hold:10/5s")).isNull();
    Instant before = Instant.now();
    Instant start = r.awaitStart(Duration.ofSeconds(1), new AtomicBoolean());
    assertThat(start).isAfterOrEqualTo(before.plusSeconds(2));
    assertThat(r.join(1, 3, "hold:10/5s")).isEqualTo(start);
    assertThat(r.join(2, 3, "hold:10/5s")).isEqualTo(start);
  }

  @Test
  void shard0NamesTheShardsThatDidNotJoin() {
    r.join(2, 3, "hold:10/5s");
    assertThatThrownBy(() -> r.awaitStart(Duration.ofMillis(200), new AtomicBoolean()))
        .isInstanceOf(RendezvousException.class)
        .hasMessage("shard 0/3: shards [1] did not join within 200ms; joined: [0, 2]")
        .satisfies(
            e -> assertThat(((RendezvousException) e).exitCode()).isEqualTo(ExitCode.FAILED));
  }

  @Test
  void refusesShardsOfAnotherRun() {
    assertThatThrownBy(() -> r.join(1, 4, "hold:10/5s"))
        .hasMessage("shard 1 was started with 4 shards, shard 0 with 3");
    assertThatThrownBy(() -> r.join(3, 3, "hold:10/5s")).hasMessage("shard index 3 is not in 0..2");
    assertThatThrownBy(() -> r.join(1, 3, "hold:20/5s"))
        .hasMessageContaining("shard 1 runs profile 'hold:20/5s', shard 0 runs 'hold:10/5s'");
  }

  @Test
  void aResultAfterTheMergeIsRefused() {
    r.awaitReports(Instant.now(), new AtomicBoolean());
    assertThatThrownBy(() -> r.report(new ShardReport(1, 3, ShardMergeTest.result(10, 5), null)))
        .hasMessage("shard 1's result came after shard 0 merged without it");
  }
}
