package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The warm-up runs the real client against its own loopback server and completes every request it
 * sends.
 */
class JitWarmUpTest {
  @Test
  void everyWarmUpRequestIsAnsweredByTheLoopbackServer() {
    try (LoadClient client = LoadClient.builder().connections(4).build()) {
      assertThat(JitWarmUp.run(client, 500, 8, 30_000)).isEqualTo(500);
    }
  }

  @Test
  void aZeroBudgetSendsNothing() {
    try (LoadClient client = LoadClient.builder().connections(4).build()) {
      assertThat(JitWarmUp.run(client, 500, 8, 0)).isZero();
    }
  }
}
