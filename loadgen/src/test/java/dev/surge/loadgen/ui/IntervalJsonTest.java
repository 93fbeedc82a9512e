package dev.surge.loadgen.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Latency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The interval frame is the result file's intervals[] entry, key for key and value for value. */
class IntervalJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Histogram histogram(long... micros) {
    Histogram h = new Histogram(3);
    for (long v : micros) {
      h.recordValue(v);
    }
    return h;
  }

  private static IntervalResult interval(
      Latency latency, Map<String, Long> backends, Map<String, Long> errorsByKind) {
    return new IntervalResult(
        12.0, 20000, 19987.25, 20001, 19950, 37, 14, 212, latency, backends, errorsByKind);
  }

  @Test
  void writesWhatDataBindingWritesForTheResultFile() throws Exception {
    Percentiles brief = Percentiles.brief(histogram(350, 420, 1_250, 98_765));
    Percentiles empty = Percentiles.brief(histogram());
    Map<String, Long> backends = new LinkedHashMap<>();
    backends.put("surge-76cf995dbc-8mf5b", 12_000L);
    backends.put("pod \"b\"", 7_950L);
    Map<String, Long> errors = Map.of("connect", 30L, "http_5xx", 7L);
    List<IntervalResult> cases =
        List.of(
            interval(new Latency(brief, empty), backends, errors),
            interval(new Latency(brief, brief), Map.of(), null),
            interval(new Latency(brief, brief), backends, Map.of()),
            // the summary's form, with p95, p999 and mean (an interval never has them, but the
            // writer must not lose them if it ever does)
            interval(new Latency(Percentiles.full(histogram(1, 2, 3)), brief), backends, errors),
            interval(null, null, null));
    for (IntervalResult i : cases) {
      String frame = IntervalJson.of(i);
      assertThat(frame).doesNotContain("\n");
      // as the page reads both: parsed from the text
      assertThat(JSON.readTree(frame))
          .isEqualTo(JSON.readTree(ResultWriter.JSON.writeValueAsString(i)));
    }
  }
}
