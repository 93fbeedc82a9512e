package dev.surge.loadgen.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.loadgen.client.Completion;
import dev.surge.loadgen.record.RunRecorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
  @Test
  void eachUserSendsItsNextRequestWhenThePreviousCompletesUntilTheEnd() {
    AtomicLong clock = new AtomicLong();
    ArrayDeque<Completion> waiting = new ArrayDeque<>();
    List<Long> intended = new ArrayList<>();
    RunRecorder rec = new RunRecorder();
    ClosedLoop loop =
        new ClosedLoop(
            3,
            (n, at, done) -> {
              intended.add(at);
              waiting.add(done);
            },
            rec,
            clock::get);
    // Each round of waiting, every outstanding request answers and the clock moves on one tick.
    long sent =
        loop.run(
            0,
            10,
            () -> {
              for (int k = waiting.size(); k > 0; k--) {
                waiting.poll().completed();
              }
              clock.incrementAndGet();
              return false;
            });
    // 3 at the start, then 3 per tick for ticks 0..9; none at or after the end.
    assertThat(sent).isEqualTo(33);
    assertThat(intended).hasSize(33).allMatch(t -> t >= 0 && t < 10);
    assertThat(rec.inFlight()).isEqualTo(33);
    // Answers after the end send nothing more.
    waiting.forEach(Completion::completed);
    assertThat(intended).hasSize(33);
  }

  @Test
  void stopsWhenAsked() {
    RunRecorder rec = new RunRecorder();
    ClosedLoop loop = new ClosedLoop(2, (n, at, done) -> {}, rec);
    assertThat(loop.run(System.nanoTime(), 3_600_000_000_000L, () -> true)).isEqualTo(2);
  }

  @Test
  void needsAUser() {
    assertThatThrownBy(() -> new ClosedLoop(0, (n, at, done) -> {}, new RunRecorder()))
        .hasMessage("a closed model needs at least one user, got 0");
  }
}
