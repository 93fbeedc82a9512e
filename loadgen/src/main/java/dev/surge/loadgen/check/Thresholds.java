package dev.surge.loadgen.check;

import dev.surge.loadgen.output.RunResult.Summary;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --threshold} conditions of a run, checked once at the end: any that does not hold
 * makes the run exit 1.
 *
 * <pre>{@code
 * Thresholds t = Thresholds.parse(List.of("p99<250ms", "errors<1%"));
 * List<ThresholdOutcome> outcomes = t.evaluate(summary);
 * }</pre>
 */
public record Thresholds(List<Threshold> all) {

  /**
   * Parses each text with {@link Threshold#parse}.
   *
   * @throws IllegalArgumentException for the first that is malformed
   */
  public static Thresholds parse(List<String> texts) {
    List<Threshold> out = new ArrayList<>();
    for (String t : texts) {
      out.add(Threshold.parse(t));
    }
    return new Thresholds(List.copyOf(out));
  }

  /** Each threshold with its measured value and whether it held. */
  public List<ThresholdOutcome> evaluate(Summary s) {
    List<ThresholdOutcome> out = new ArrayList<>();
    for (Threshold t : all) {
      out.add(new ThresholdOutcome(t.text(), t.actual(s), t.holds(s)));
    }
    return out;
  }

  /** True when every outcome passed (and trivially when there are none). */
  public static boolean allPassed(List<ThresholdOutcome> outcomes) {
    return outcomes.stream().allMatch(ThresholdOutcome::passed);
  }
}
