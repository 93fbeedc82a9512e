package dev.surge.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuWindowTest {
  @Test
  void hasNoSampleUntilTheReadingsSpanAWindow() {
    CpuWindow w = new CpuWindow(15);
    w.add(0, 1.0);
    assertThat(w.sample()).isEmpty();
    w.add(14, 2.0);
    assertThat(w.sample()).isEmpty();
    w.add(15, 4.0);
    assertThat(w.sample()).hasValue(new CpuWindow.Sample(200, 15, 15));
  }

  @Test
  void averagesFromTheNewestReadingBackToTheNewestOneAWindowOlder() {
    CpuWindow w = new CpuWindow(5);
    // 100m for 10 s, then 500m: readings once a second.
    double cpu = 0;
    for (int t = 0; t <= 10; t++) {
      w.add(t, cpu);
      cpu += 0.1;
    }
    assertThat(w.sample().orElseThrow().millicores()).isEqualTo(100);
    cpu -= 0.1;
    for (int t = 11; t <= 13; t++) {
      cpu += 0.5;
      w.add(t, cpu);
    }
    // Window 8..13: 2 s at 100m and 3 s at 500m = 1.7 CPU-seconds over 5 s.
    CpuWindow.Sample s = w.sample().orElseThrow();
    assertThat(s.millicores()).isEqualTo(340);
    assertThat(s.timestamp()).isEqualTo(13);
    assertThat(s.windowSeconds()).isEqualTo(5);
  }

  @Test
  void spansMoreThanTheWindowWhenAReadingWasMissed() {
    CpuWindow w = new CpuWindow(5);
    w.add(0, 0);
    w.add(3, 0.3);
    w.add(9, 1.2);
    // Newest reading at least 5 s before 9 is the one at 3 (6 s span).
    assertThat(w.sample()).hasValue(new CpuWindow.Sample(150, 9, 6));
  }

  @Test
  void restartsWhenTheCounterGoesBackwards() {
    CpuWindow w = new CpuWindow(2);
    w.add(0, 5);
    w.add(2, 6);
    assertThat(w.sample()).isPresent();
    w.add(3, 0.1);
    assertThat(w.sample()).isEmpty();
    w.add(5, 0.5);
    assertThat(w.sample()).hasValue(new CpuWindow.Sample(200, 5, 2));
  }

  @Test
  void ignoresAReadingThatIsNotNewer() {
    CpuWindow w = new CpuWindow(1);
    w.add(0, 0);
    w.add(1, 1);
    w.add(1, 7);
    assertThat(w.sample()).hasValue(new CpuWindow.Sample(1000, 1, 1));
  }

  @Test
  void rejectsAWindowThatIsNotPositive() {
    assertThatThrownBy(() -> new CpuWindow(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric window must be > 0 s, got 0.0");
  }
}
