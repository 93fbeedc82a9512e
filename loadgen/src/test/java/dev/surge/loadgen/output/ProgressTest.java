package dev.surge.loadgen.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Latency;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static IntervalResult interval(double t, long errors) {
    Percentiles p = new Percentiles(10, 1.5, 2, null, 9.25, null, 12, null);
    return new IntervalResult(
        t, 200, 198.5, 200, 200 - errors, errors, 1, 3, new Latency(p, p), Map.of("a", 5L));
  }

  @Test
  void printsOneLinePerIntervalWhenNotATerminal() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), false);
    p.update(interval(1, 2), 1);
    p.update(interval(2, 3), 2);
    p.finish();
    String[] lines = s.toString().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .contains("1.0s")
        .contains("target    200.0/s")
        .contains("achieved    198.5/s")
        .contains("p50     1.50ms")
        .contains("p99     9.25ms")
        .contains("errors 2")
        .contains("dropped 1")
        .contains("in-flight 3")
        .contains("backends 1");
    assertThat(lines[1]).contains("errors 5").contains("dropped 2").contains("backends 2");
  }

  @Test
  void rewritesTheLineInPlaceOnATerminal() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), true);
    p.update(interval(1, 0), 1);
    p.update(interval(2, 0), 1);
    assertThat(s.toString()).doesNotContain("\n").startsWith("\r").contains("\033[K\r");
    p.finish();
    assertThat(s.toString()).endsWith("\n");
  }
}
