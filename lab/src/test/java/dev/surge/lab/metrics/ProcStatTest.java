package dev.surge.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void readsUserAndSystemTicksAfterACommandNameWithSpaces() {
    String line =
        "4242 (java (pod) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 130 7 9 20 0 30 0 5000 0 0";
    assertThat(ProcStat.parse(line)).isEqualTo(3.8);
  }

  @Test
  void readsThisProcessAndNothingForAMissingOne() {
    assertThat(ProcStat.cpuSeconds(ProcessHandle.current().pid())).isPresent();
    assertThat(ProcStat.cpuSeconds(Integer.MAX_VALUE)).isEmpty();
  }
}
