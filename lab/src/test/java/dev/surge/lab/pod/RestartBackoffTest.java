package dev.surge.lab.pod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kubelet's back-off, driven by explicit times (the container's start and exit). */
class RestartBackoffTest {
  @Test
  void doublesFromTenSecondsToFiveMinutes() {
    RestartBackoff b = new RestartBackoff();
    double t = 0;
    double[] delays = new double[8];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = b.next(t, t + 1);
      t += 1 + delays[i];
    }
    assertThat(delays).containsExactly(10, 20, 40, 80, 160, 300, 300, 300);
  }

  @Test
  void resetsAfterTenMinutesRunning() {
    RestartBackoff b = new RestartBackoff();
    b.next(0, 1);
    b.next(11, 12);
    assertThat(b.next(32, 32 + 599)).isEqualTo(40);
    assertThat(b.next(1000, 1000 + 600)).isEqualTo(10);
    assertThat(b.next(1610, 1611)).isEqualTo(20);
  }
}
