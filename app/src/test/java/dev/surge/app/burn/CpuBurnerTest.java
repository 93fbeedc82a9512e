package dev.surge.app.burn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuBurnerTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final CpuBurner burner = new CpuBurner(2, Duration.ofMinutes(10), clock::get);

  @AfterEach
  void stop() {
    burner.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> liveBurnThreads() == 0);
  }

  static long liveBurnThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("surge-cpu-burn-") && t.isAlive())
        .count();
  }

  @ParameterizedTest
  @CsvSource({"1,1", "500,1", "1000,1", "1001,2", "1500,2", "2000,2"})
  void spreadsMillicoresOverWholeCoreThreads(int millicores, int threads) {
    assertThat(burner.start(millicores, Duration.ofSeconds(30)))
        .isEqualTo(new CpuBurner.BurnStatus(millicores, 30));
    assertThat(burner.millicores()).isEqualTo(millicores);
    assertThat(burner.threads()).isEqualTo(threads);
  }

  @Test
  void capsAtTheCoresAvailable() {
    assertThat(burner.maxMillicores()).isEqualTo(2000);
    assertThatThrownBy(() -> burner.start(2001, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("millicores must be from 1 to 2000 (the cores available × 1000), got 2001");
    assertThatThrownBy(() -> burner.start(0, Duration.ofSeconds(1)))
        .hasMessage("millicores must be from 1 to 2000 (the cores available × 1000), got 0");
    assertThat(burner.millicores()).isZero();
  }

  @Test
  void capsTheDuration() {
    assertThatThrownBy(() -> burner.start(100, Duration.ofMinutes(11)))
        .hasMessage("durationSeconds must be from 1 to 600, got 660");
    assertThatThrownBy(() -> burner.start(100, Duration.ZERO))
        .hasMessage("durationSeconds must be from 1 to 600, got 0");
  }

  @Test
  void cancelStopsTheThreadsAndZeroesTheGauge() {
    burner.start(1500, Duration.ofSeconds(60));
    assertThat(burner.cancel()).isEqualTo(new CpuBurner.BurnStatus(0, 0));
    assertThat(burner.millicores()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> liveBurnThreads() == 0);
  }

  @Test
  void aNewBurnReplacesTheRunningOne() {
    burner.start(2000, Duration.ofSeconds(60));
    burner.start(300, Duration.ofSeconds(60));
    assertThat(burner.millicores()).isEqualTo(300);
    await().atMost(Duration.ofSeconds(5)).until(() -> liveBurnThreads() == 1);
  }

  @Test
  void endsByItselfAfterTheDuration() {
    burner.start(1000, Duration.ofSeconds(60));
    clock.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(burner.status()).isEqualTo(new CpuBurner.BurnStatus(1000, 1));
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(burner.millicores()).isZero();
    assertThat(burner.status()).isEqualTo(new CpuBurner.BurnStatus(0, 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> liveBurnThreads() == 0);
  }
}
