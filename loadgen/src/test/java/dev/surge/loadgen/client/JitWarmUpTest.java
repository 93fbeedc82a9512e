package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.dispatch.LoopDispatcher;
import dev.surge.loadgen.schedule.Schedule;
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
  void aSenderOfItsOwnIsAnsweredToo() {
    // The open model's warm-up sends through the loops' own feed; here a plain loop of sends
    // stands in for it: whatever the sender counts as sent is waited for and answered.
    try (LoadClient client = LoadClient.builder().connections(4).build()) {
      long answered =
          JitWarmUp.run(
              (t, rec, deadline) -> {
                for (int i = 0; i < 200; i++) {
                  long now = System.nanoTime();
                  rec.sent(now, now);
                  client.send(t, now, rec);
                }
              },
              30_000);
      assertThat(answered).isEqualTo(200);
    }
  }

  @Test
  void theOpenModelsWarmUpThroughTheLoopsOwnFeedIsAnswered() {
    // As ClientPart warms up an open-model run on the lean transport: 500 requests at 20 000/s,
    // an in-flight cap that admits them all.
    try (LoadClient client =
        LoadClient.builder().transport(Transport.LEAN).connections(4).loops(2).build()) {
      long answered =
          JitWarmUp.run(
              (t, rec, deadline) ->
                  new LoopDispatcher(
                          Schedule.of(RateProfile.constant(20_000, 500 / 20_000.0)),
                          n -> t,
                          rec,
                          500,
                          CatchUp.BURST)
                      .run(client, System.nanoTime(), () -> System.nanoTime() - deadline > 0),
              30_000);
      assertThat(answered).isEqualTo(500);
    }
  }

  @Test
  void aZeroBudgetSendsNothing() {
    try (LoadClient client = LoadClient.builder().connections(4).build()) {
      assertThat(JitWarmUp.run(client, 500, 8, 0)).isZero();
    }
  }
}
