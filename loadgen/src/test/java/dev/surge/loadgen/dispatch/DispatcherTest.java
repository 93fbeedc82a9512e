package dev.surge.loadgen.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's decisions, with a clock that says every request is already due (no waiting, no
 * real time).
 */
class DispatcherTest {
  private static final long START = 1_000_000_000L;

  /** A clock far past the end of the schedule: each request is overdue by then. */
  private static long farFuture() {
    return START + 3_600_000_000_000L;
  }

  @Test
  void overTheInFlightCapDueRequestsAreDroppedNotQueued() {
    Schedule s = Schedule.of(RateProfile.constant(100, 1));
    RunRecorder rec = new RunRecorder();
    List<Long> intended = new ArrayList<>();
    Dispatcher d =
        new Dispatcher(
            s, (n, t) -> intended.add(t), rec, 10, CatchUp.BURST, DispatcherTest::farFuture);
    long due = d.run(START, () -> false);
    assertThat(due).isEqualTo(100);
    assertThat(intended).hasSize(10);
    assertThat(rec.inFlight()).isEqualTo(10);
    var interval = rec.snapshot(START, START, farFuture());
    assertThat(interval.requests()).isEqualTo(100);
    assertThat(interval.dropped()).isEqualTo(90);
    assertThat(interval.late()).as("the sent ones went out after their time").isEqualTo(10);
    // Sent with their absolute intended times, 10 ms apart, whatever the clock said.
    assertThat(intended)
        .containsExactly(
            START,
            START + 10_000_000L,
            START + 20_000_000L,
            START + 30_000_000L,
            START + 40_000_000L,
            START + 50_000_000L,
            START + 60_000_000L,
            START + 70_000_000L,
            START + 80_000_000L,
            START + 90_000_000L);
  }

  @Test
  void burstSendsOverdueRequestsAndCountsThemLate() {
    Schedule s = Schedule.of(RateProfile.constant(50, 1));
    RunRecorder rec = new RunRecorder();
    List<Long> sent = new ArrayList<>();
    new Dispatcher(s, (n, t) -> sent.add(n), rec, 1000, CatchUp.BURST, DispatcherTest::farFuture)
        .run(START, () -> false);
    assertThat(sent).hasSize(50);
    var i = rec.snapshot(START, START, farFuture());
    assertThat(i.late()).isEqualTo(50);
    assertThat(i.dropped()).isZero();
  }

  @Test
  void skipDropsRequestsTooFarBehind() {
    Schedule s = Schedule.of(RateProfile.constant(50, 1));
    RunRecorder rec = new RunRecorder();
    List<Long> sent = new ArrayList<>();
    new Dispatcher(s, (n, t) -> sent.add(n), rec, 1000, CatchUp.SKIP, DispatcherTest::farFuture)
        .run(START, () -> false);
    assertThat(sent).isEmpty();
    assertThat(rec.snapshot(START, START, farFuture()).dropped()).isEqualTo(50);
  }

  @Test
  void stopEndsTheRunBeforeTheNextSend() {
    Schedule s = Schedule.of(RateProfile.constant(50, 1));
    RunRecorder rec = new RunRecorder();
    List<Long> sent = new ArrayList<>();
    long due =
        new Dispatcher(
                s, (n, t) -> sent.add(n), rec, 1000, CatchUp.BURST, DispatcherTest::farFuture)
            .run(START, () -> sent.size() >= 7);
    assertThat(due).isEqualTo(7);
    assertThat(sent).hasSize(7);
  }
}
