package dev.surge.cluster.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {
  @Test
  void readsUserAndSystemTicksAfterACommandNameWithSpaces() {
    String line =
        "4242 (java (pod) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 130 7 9 20 0 30 0 5000 0 0";
    assertThat(ProcessUsage.cpuSeconds(line, 100)).isEqualTo(3.8);
    assertThat(ProcessUsage.cpuSeconds(line, 250)).isEqualTo(1.52);
  }

  @Test
  void readsVmRssInBytes() {
    String status = "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t20\n";
    assertThat(ProcessUsage.residentBytes(status)).isEqualTo(123456L * 1024);
    assertThatThrownBy(() -> ProcessUsage.residentBytes("Name:\tzombie\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcessAndNothingForAMissingOne() {
    ProcessUsage self = ProcessUsage.read(ProcessHandle.current().pid()).orElseThrow();
    assertThat(self.cpuSeconds()).isPositive();
    assertThat(self.workingSetBytes()).isGreaterThan(1 << 20);
    assertThat(ProcessUsage.read(Integer.MAX_VALUE)).isEmpty();
  }

  @Test
  void clockTicksComeFromGetconfOrLinuxsFixedValue() {
    assertThat(ClockTicks.perSecond()).isEqualTo(100); // getconf CLK_TCK on Linux
    assertThat(ClockTicks.parse("250\n")).isEqualTo(250);
    assertThat(ClockTicks.parse("undefined")).isEqualTo(100);
  }
}
