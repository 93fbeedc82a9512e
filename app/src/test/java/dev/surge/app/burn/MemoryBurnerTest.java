package dev.surge.app.burn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryBurnerTest {
  private static final long MIB = 1024 * 1024;
  private final MemoryBurner burner = new MemoryBurner(64 * MIB + 5, Duration.ofMinutes(10));

  @AfterEach
  void stop() {
    burner.close();
  }

  @Test
  void holdsTheAskedMebibytes() {
    assertThat(burner.start(16, Duration.ofSeconds(30)))
        .isEqualTo(new MemoryBurner.BurnStatus(16, 30));
    assertThat(burner.bytesHeld()).isEqualTo(16 * MIB);
  }

  @Test
  void capsAtTheGivenShareOfTheHeap() {
    assertThat(burner.maxMebibytes()).isEqualTo(64);
    assertThatThrownBy(() -> burner.start(65, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mebibytes must be from 1 to 64 (half the max heap), got 65");
    assertThatThrownBy(() -> burner.start(8, Duration.ofMinutes(11)))
        .hasMessage("durationSeconds must be from 1 to 600, got 660");
    assertThat(burner.bytesHeld()).isZero();
  }

  @Test
  void cancelReleasesTheMemory() {
    burner.start(8, Duration.ofSeconds(60));
    assertThat(burner.cancel()).isEqualTo(new MemoryBurner.BurnStatus(0, 0));
    assertThat(burner.bytesHeld()).isZero();
  }

  @Test
  void aNewBurnReplacesTheRunningOne() {
    burner.start(32, Duration.ofSeconds(60));
    burner.start(4, Duration.ofSeconds(60));
    assertThat(burner.bytesHeld()).isEqualTo(4 * MIB);
  }

  @Test
  void releasesByItselfAfterTheDuration() {
    burner.start(4, Duration.ofSeconds(1));
    assertThat(burner.bytesHeld()).isEqualTo(4 * MIB);
    await().atMost(Duration.ofSeconds(10)).until(() -> burner.bytesHeld() == 0);
  }
}
