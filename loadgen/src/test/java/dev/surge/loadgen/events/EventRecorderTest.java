package dev.surge.loadgen.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.output.RunResult.EventEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  @Test
  void stampsEveryEventOnTheRunsAxisAndHandsItOn() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    List<RunEvent> handed = new ArrayList<>();
    EventRecorder r = new EventRecorder(handed::add, now::get);
    r.publish(new RunEvent(99, RunEvent.Kind.POD, "p-1", "created"));
    now.addAndGet(2_000_000_000L);
    r.origin(now.get());
    now.addAndGet(1_500_000_000L);
    r.publish(new RunEvent(7, RunEvent.Kind.HPA, "", "2 -> 3 replicas"));

    assertThat(r.entries())
        .containsExactly(
            new EventEntry(-2.0, "pod", "p-1", "created"),
            new EventEntry(1.5, "hpa", "", "2 -> 3 replicas"));
    assertThat(handed.get(0).t()).isNaN(); // before the load started
    assertThat(handed.get(1).t()).isEqualTo(1.5);
    assertThat(handed.get(1).message()).isEqualTo("2 -> 3 replicas");
  }

  @Test
  void keepsAtMostTheLimitAndCountsTheRest() {
    EventRecorder r = EventRecorder.keeping();
    for (int i = 0; i < EventRecorder.MAX_EVENTS + 5; i++) {
      r.publish(new RunEvent(0, RunEvent.Kind.POD, "p", "ready"));
    }
    assertThat(r.entries()).hasSize(EventRecorder.MAX_EVENTS);
    assertThat(r.dropped()).isEqualTo(5);
  }
}
