package dev.surge.loadgen.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.Feed;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.record.Interval;
import dev.surge.loadgen.record.RunRecorder;
import dev.surge.loadgen.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batching arithmetic of the loop-driven open model, with explicit clock values (no real time):
 * what a loop takes at one wake-up, the intended times it records, how it catches up after a stall,
 * and how the lanes split a rate profile at its segment boundaries.
 */
class LaneTest {
  private static final long START = 5_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final RequestTemplate T = RequestTemplate.get("http://127.0.0.1:1/");

  /** What one loop does at a wake-up: takes every due request; returns their intended times. */
  private static List<Long> batch(Lane lane, long now) {
    List<Long> intended = new ArrayList<>();
    long due;
    while ((due = lane.nextDue()) != Feed.NONE && due - now <= 0) {
      if (lane.take(now) != null) {
        intended.add(due);
      }
    }
    return intended;
  }

  private static Lane lane(Schedule s, int i, int of, RunRecorder rec, int cap, CatchUp c) {
    return new Lane(s, START, i, of, n -> T, rec, cap, c);
  }

  @Test
  void aBatchHoldsEveryDueRequestWithItsOwnIntendedTime() {
    // 1000/s: one request every ms. A loop that wakes 3.5 ms in takes 0, 1, 2 and 3.
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    RunRecorder rec = new RunRecorder();
    Lane lane = lane(s, 0, 1, rec, 1000, CatchUp.BURST);
    assertThat(batch(lane, START - 1)).as("nothing before the start").isEmpty();
    assertThat(batch(lane, START + 3 * MS + MS / 2))
        .containsExactly(START, START + MS, START + 2 * MS, START + 3 * MS);
    assertThat(lane.nextDue()).isEqualTo(START + 4 * MS);
    assertThat(batch(lane, START + 4 * MS)).containsExactly(START + 4 * MS);
    assertThat(lane.taken()).isEqualTo(5);
    Interval i = rec.snapshot(START, START, START + 5 * MS);
    assertThat(i.requests()).isEqualTo(5);
    // Sent up to 3.5 ms after their time: the ones more than 1 ms behind count as late.
    assertThat(i.late()).isEqualTo(3);
  }

  @Test
  void lanesInterleaveAndTogetherSendExactlyTheSchedule() {
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    RunRecorder rec = new RunRecorder();
    Lane even = lane(s, 0, 2, rec, 10_000, CatchUp.BURST);
    Lane odd = lane(s, 1, 2, rec, 10_000, CatchUp.BURST);
    assertThat(even.size() + odd.size()).isEqualTo(s.size());
    List<Long> all = new ArrayList<>(batch(even, START + 10 * MS));
    assertThat(all)
        .containsExactly(
            START, START + 2 * MS, START + 4 * MS, START + 6 * MS, START + 8 * MS, START + 10 * MS);
    List<Long> odd10 = batch(odd, START + 10 * MS);
    assertThat(odd10)
        .containsExactly(
            START + MS, START + 3 * MS, START + 5 * MS, START + 7 * MS, START + 9 * MS);
    all.addAll(odd10);
    all.addAll(batch(odd, START + 2_000 * MS));
    all.addAll(batch(even, START + 2_000 * MS));
    List<Long> expected = new ArrayList<>();
    for (long n = 0; n < s.size(); n++) {
      expected.add(START + s.sendTimeNanos(n));
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(even.finished()).isTrue();
    assertThat(odd.finished()).isTrue();
    assertThat(even.nextDue()).isEqualTo(Feed.NONE);
  }

  @Test
  void afterAStallBurstCatchesUpWithTheOriginalIntendedTimes() {
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    RunRecorder rec = new RunRecorder();
    Lane lane = lane(s, 0, 1, rec, 10_000, CatchUp.BURST);
    batch(lane, START);
    // The loop stalls for 200 ms (GC, descheduled): at the next wake-up all 200 go, back to back,
    // each still intended at its own millisecond.
    List<Long> caughtUp = batch(lane, START + 200 * MS);
    assertThat(caughtUp).hasSize(200);
    assertThat(caughtUp.get(0)).isEqualTo(START + MS);
    assertThat(caughtUp.get(199)).isEqualTo(START + 200 * MS);
    Interval i = rec.snapshot(START, START, START + 201 * MS);
    assertThat(i.dropped()).isZero();
    // Request 199 ms went exactly 1 ms late, which is not more than LATE_NANOS: 198 count as late.
    assertThat(i.late()).isEqualTo(198);
    assertThat(lane.nextDue()).as("then on schedule again").isEqualTo(START + 201 * MS);
  }

  @Test
  void afterAStallSkipDropsWhatIsTooFarBehindAndSendsTheRest() {
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    RunRecorder rec = new RunRecorder();
    Lane lane = lane(s, 0, 1, rec, 10_000, CatchUp.SKIP);
    List<Long> sent = batch(lane, START + 300 * MS);
    // Requests more than 100 ms behind (0..199 ms) are dropped; 200..300 ms go.
    assertThat(sent).hasSize(101);
    assertThat(sent.get(0)).isEqualTo(START + 200 * MS);
    assertThat(rec.snapshot(START, START, START + 300 * MS).dropped()).isEqualTo(200);
  }

  @Test
  void overTheInFlightCapATakenRequestIsDroppedNotQueued() {
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    RunRecorder rec = new RunRecorder();
    Lane lane = lane(s, 0, 1, rec, 3, CatchUp.BURST);
    assertThat(batch(lane, START + 9 * MS)).hasSize(3);
    assertThat(lane.taken()).isEqualTo(10);
    assertThat(rec.snapshot(START, START, START + 10 * MS).dropped()).isEqualTo(7);
  }

  @Test
  void segmentBoundariesOfARateProfileAreKeptByEveryLane() {
    // 1 s at 100/s, 1 s paused, 1 s at 200/s. Request n is due when the integral of the rate
    // reaches n: 0..99 in the first second, request 100 exactly at its end (1 s, where the pause
    // begins), nothing inside the pause, then 101..299 from 2.005 s, 5 ms apart.
    Schedule s = Schedule.of(RateProfile.parse("hold:100/1s,pause:1s,hold:200/1s"));
    assertThat(s.size()).isEqualTo(300);
    for (int lanes = 1; lanes <= 3; lanes++) {
      RunRecorder rec = new RunRecorder();
      List<Long> first = new ArrayList<>();
      List<Long> pause = new ArrayList<>();
      List<Long> last = new ArrayList<>();
      for (int i = 0; i < lanes; i++) {
        Lane lane = lane(s, i, lanes, rec, 10_000, CatchUp.BURST);
        first.addAll(batch(lane, START + 1_000 * MS - 1));
        pause.addAll(batch(lane, START + 2_000 * MS - 1));
        last.addAll(batch(lane, START + 3_000 * MS));
        assertThat(lane.finished()).isTrue();
      }
      assertThat(first).as("first segment, %d lanes", lanes).hasSize(100);
      assertThat(first).allMatch(t -> t - START < 1_000 * MS);
      assertThat(pause).as("the pause, %d lanes", lanes).containsExactly(START + 1_000 * MS);
      assertThat(last).as("last segment, %d lanes", lanes).hasSize(199);
      assertThat(last).contains(START + 2_005 * MS, START + 2_995 * MS);
      assertThat(last).allMatch(t -> t - START > 2_000 * MS && t - START < 3_000 * MS);
    }
  }

  @Test
  void aStoppedLaneTakesNothingMore() {
    Schedule s = Schedule.of(RateProfile.constant(1000, 1));
    Lane lane = lane(s, 0, 1, new RunRecorder(), 10_000, CatchUp.BURST);
    batch(lane, START + 4 * MS);
    lane.stop();
    assertThat(lane.nextDue()).isEqualTo(Feed.NONE);
    assertThat(batch(lane, START + 900 * MS)).isEmpty();
    assertThat(lane.taken()).isEqualTo(5);
    assertThat(lane.finished()).isFalse();
  }

  @Test
  void rejectsALaneThatDoesNotExist() {
    Schedule s = Schedule.of(RateProfile.constant(10, 1));
    assertThatThrownBy(() -> lane(s, 2, 2, new RunRecorder(), 1, CatchUp.BURST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lane 2 of 2 does not exist");
  }

  @ParameterizedTest(name = "due in {0} ns -> select for {1} ms")
  @CsvSource({
    "-5, 0", // overdue: take it now, no wait
    "0, 0", // due now
    "1, 1", // less than a millisecond: the selector's shortest timed wait
    "100000, 1",
    "999999, 1",
    "1000000, 1",
    "1100000, 1", // 1.1 ms: 1 ms plus the timer's slack lands on time
    "1100001, 2",
    "4010000, 4", // rounds up only past the slack, so a wake-up is never a millisecond late
    "4900000, 5",
    "10000000, 10"
  })
  void aLoopWaitsForTheNextDueRequestInWholeMilliseconds(long inNanos, long millis) {
    assertThat(Feed.millisUntil(START + inNanos, START)).isEqualTo(millis);
  }
}
