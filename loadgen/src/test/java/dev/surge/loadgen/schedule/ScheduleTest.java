package dev.surge.loadgen.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.surge.common.profile.RateProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hold:250/10s",
        "ramp:0->400/20s",
        "ramp:400->100/30s",
        "ramp-down:300/20s",
        "step:100->400x4/40s",
        "spike:100->1000/1m@6s",
        "sine:100->500/2m@30s",
        "sine:0->200/45s@15s",
        "pause:5s,hold:100/5s",
        "ramp:0->40/20s,hold:40/30s,ramp-down:40/20s"
      })
  void theNthSendTimeIsWhereTheIntegralOfTheRateReachesN(String spec) {
    RateProfile p = RateProfile.parse(spec);
    Schedule s = Schedule.of(p);
    assertThat(s.size()).isEqualTo((long) Math.ceil(p.totalRequests() - 1e-9));
    double previous = -1;
    for (long n = 0; n < s.size(); n++) {
      double t = s.sendTimeSeconds(n);
      assertThat(t).isGreaterThanOrEqualTo(previous).isLessThan(p.durationSeconds());
      if (n > 0) {
        // Integrated independently of the inverse: the numeric integral of rateAt up to the send
        // time is n.
        assertThat(p.expectedRequests(t)).as("n=%s t=%s", n, t).isCloseTo(n, within(1e-6));
      }
      previous = t;
    }
    // Spot-check against numeric integration of the rate itself.
    long mid = s.size() / 2;
    assertThat(numericIntegral(p, s.sendTimeSeconds(mid)))
        .isCloseTo(mid, within(Math.max(0.5, mid * 1e-4)));
  }

  @Test
  void constantRateSendsEvenlySpaced() {
    Schedule s = Schedule.of(RateProfile.constant(200, 60));
    assertThat(s.size()).isEqualTo(12_000);
    assertThat(s.sendTimeNanos(0)).isZero();
    assertThat(s.sendTimeNanos(3)).isEqualTo(15_000_000L);
    assertThat(s.sendTimeNanos(11_999)).isEqualTo(59_995_000_000L);
    assertThat(s.countBefore(1.0)).isEqualTo(200);
    assertThat(s.countBefore(1.0001)).isEqualTo(201);
  }

  @Test
  void rampFromZeroFollowsTheSquareRootOfTheIntegral() {
    // rate = k t with k = 400/120, integral = k t^2 / 2, so request n is due at sqrt(2 n / k)
    Schedule s = Schedule.of(RateProfile.parse("ramp:0->400/2m"));
    double k = 400.0 / 120.0;
    for (long n : new long[] {1, 10, 1000, 23_999}) {
      assertThat(s.sendTimeSeconds(n)).isCloseTo(Math.sqrt(2.0 * n / k), within(1e-9));
    }
  }

  @Test
  void leadingPauseDelaysTheFirstRequest() {
    Schedule s = Schedule.of(RateProfile.parse("pause:5s,hold:100/5s"));
    assertThat(s.sendTimeSeconds(0)).isCloseTo(5.0, within(1e-9));
    assertThat(s.sendTimeSeconds(1)).isCloseTo(5.01, within(1e-9));
    assertThat(s.size()).isEqualTo(500);
  }

  @Test
  void shardsTogetherSendExactlyTheWholeSchedule() {
    RateProfile p = RateProfile.parse("ramp:0->300/10s,hold:300/5s,sine:50->150/7s@3s");
    Schedule whole = Schedule.of(p);
    int shards = 3;
    List<Double> merged = new ArrayList<>();
    long sizes = 0;
    for (int i = 0; i < shards; i++) {
      Schedule s = Schedule.shard(p, i, shards);
      sizes += s.size();
      for (long n = 0; n < s.size(); n++) {
        merged.add(s.sendTimeSeconds(n));
      }
      assertThat(s.rateAt(12)).isCloseTo(100, within(1e-9));
      assertThat((double) s.countBefore(15)).isCloseTo(whole.countBefore(15) / 3.0, within(1.0));
    }
    merged.sort(Double::compare);
    assertThat(sizes).isEqualTo(whole.size());
    for (int n = 0; n < whole.size(); n++) {
      assertThat(merged.get(n)).isEqualTo(whole.sendTimeSeconds(n));
    }
  }

  @Test
  void shardIndexOutOfRangeIsRejected() {
    RateProfile p = RateProfile.constant(10, 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.shard(p, 3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shard index must be in 0..2 for 3 shards, got 3");
  }

  /**
   * Integrates rateAt numerically (composite Simpson), independent of the profile's closed forms.
   */
  private static double numericIntegral(RateProfile p, double t) {
    int n = 20_000;
    double h = t / n;
    double sum = p.rateAt(0) + p.rateAt(t - 1e-12);
    for (int i = 1; i < n; i++) {
      sum += p.rateAt(i * h) * (i % 2 == 0 ? 2 : 4);
    }
    return sum * h / 3.0;
  }
}
