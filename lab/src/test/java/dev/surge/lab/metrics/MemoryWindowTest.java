package dev.surge.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryWindowTest {
  @Test
  void noSampleUntilTheReadingsSpanAWindow() {
    MemoryWindow w = new MemoryWindow(10);
    w.add(0, 100);
    w.add(9, 200);
    assertThat(w.sample()).isEmpty();
    w.add(10, 300);
    assertThat(w.sample()).isPresent();
  }

  @Test
  void averagesOverTheSpanWeighingUnevenReadings() {
    MemoryWindow w = new MemoryWindow(10);
    w.add(0, 100);
    w.add(2, 100);
    w.add(10, 500); // 2 s at 100, then 8 s rising 100 -> 500 (average 300)
    MemoryWindow.Sample s = w.sample().orElseThrow();
    assertThat(s.bytes()).isEqualTo((2 * 100 + 8 * 300) / 10);
    assertThat(s.windowSeconds()).isEqualTo(10);
    assertThat(s.timestamp()).isEqualTo(10);
  }

  @Test
  void dropsReadingsOlderThanOneWindowBeforeTheNewest() {
    MemoryWindow w = new MemoryWindow(10);
    for (int t = 0; t <= 30; t++) {
      w.add(t, t < 20 ? 1000 : 2000);
    }
    // readings from 20 to 30 are all 2000: the 1000s have left the window
    assertThat(w.sample().orElseThrow().bytes()).isEqualTo(2000);
  }
}
