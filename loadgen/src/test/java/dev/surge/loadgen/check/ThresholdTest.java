package dev.surge.loadgen.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.RunResult.Latency;
import dev.surge.loadgen.output.RunResult.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdTest {
  // 1000 requests, 20 errors (2%), 10 dropped (1%), corrected p99 300 ms, uncorrected p99 40 ms, 95
  // of 100 req/s.
  static final Summary S =
      new Summary(
          1000,
          970,
          20,
          10,
          5,
          0,
          10,
          100,
          95,
          new Latency(
              new Percentiles(990, 10, 50, 120.0, 300, 800.0, 1200, 30.0),
              new Percentiles(990, 8, 20, 30.0, 40, 60.0, 100, 9.0)),
          Map.of(),
          Map.of(),
          Map.of(),
          null);

  @ParameterizedTest
  @CsvSource({
    "p99<250ms,false,300",
    "p99<1s,true,300",
    "uncorrected.p99<250ms,true,40",
    "p50<=10ms,true,10",
    "max<1.2s,false,1200",
    "errors<1%,false,2",
    "errors<3%,true,2",
    "errors<=20,true,20",
    "dropped<1%,false,1",
    "achievedRate>=95%,true,95",
    "achievedRate>96,false,95",
    "requests>=1000,true,1000",
    "late<1%,true,0.5"
  })
  void evaluatesAgainstTheSummary(String text, boolean holds, double actual) {
    Threshold t = Threshold.parse(text);
    assertThat(t.actual(S)).isEqualTo(actual);
    assertThat(t.holds(S)).isEqualTo(holds);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "p99|is not a threshold",
        "p99<<1ms|is not a duration",
        "p42<1ms|unknown metric 'p42'",
        "errors<lots|'lots' is not a number",
        "uncorrected.errors<1%|only latency metrics",
        "requests>5%|takes a count",
        "errors<-1|value must be a number >= 0"
      })
  void rejectsMalformedThresholds(String text, String message) {
    assertThatThrownBy(() -> Threshold.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void abortRuleWaitsForItsDelay() {
    AbortRule rule = AbortRule.parse(List.of("errors>1%"), 10);
    assertThat(rule.check(5, S)).isEmpty();
    assertThat(rule.check(11, S))
        .hasValueSatisfying(r -> assertThat(r).startsWith("errors>1% (was 2.0"));
  }
}
