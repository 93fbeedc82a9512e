package dev.surge.app.burn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void burnsAtLeastTheAskedThreadCpuTime() {
    long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long used = ThreadCpu.burn(30_000_000);
    long measured = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before;
    assertThat(used).isGreaterThanOrEqualTo(30_000_000);
    assertThat(measured).isGreaterThanOrEqualTo(30_000_000);
  }

  @Test
  void zeroBurnsNothing() {
    assertThat(ThreadCpu.burn(0)).isZero();
  }
}
