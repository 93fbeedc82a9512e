package dev.surge.loadgen.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingSectionTest {
  /** Samples one second apart: {current, desired, ready} each. */
  private static List<ScalingSample> samples(int[]... rows) {
    List<ScalingSample> list = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      list.add(new ScalingSample(i, rows[i][0], rows[i][1], rows[i][2], Map.of("pod-a", 1.5)));
    }
    return list;
  }

  @Test
  void measuresScaleUpFromDesiredRisingToAllReady() {
    List<ScalingSample> s =
        samples(
            new int[] {2, 2, 2},
            new int[] {2, 5, 2},
            new int[] {5, 5, 2},
            new int[] {5, 5, 4},
            new int[] {5, 5, 5},
            new int[] {5, 5, 5});
    assertThat(ScalingSection.scaleUpSeconds(s))
        .isEqualTo(3.0); // desired rose at 1, all 5 ready at 4
  }

  @Test
  void measuresScaleDownFromLeavingThePeakToBackAtTheStart() {
    List<ScalingSample> s =
        samples(
            new int[] {2, 2, 2},
            new int[] {4, 4, 4},
            new int[] {4, 4, 4},
            new int[] {3, 2, 3},
            new int[] {2, 2, 2});
    assertThat(ScalingSection.scaleDownSeconds(s))
        .isEqualTo(2.0); // last at 4 at t=2, back to 2 at t=4
  }

  @Test
  void leavesTimesNullWhenNothingScaled() {
    List<ScalingSample> s = samples(new int[] {2, 2, 2}, new int[] {2, 2, 2});
    ObjectNode n = ScalingSection.build(s, null);
    assertThat(n.path("scaleUpSeconds").isNull()).isTrue();
    assertThat(n.path("scaleDownSeconds").isNull()).isTrue();
    assertThat(n.path("timeline")).hasSize(2);
    assertThat(n.path("timeline").get(0).path("podRates").path("pod-a").asDouble()).isEqualTo(1.5);
    assertThat(n.has("simulated")).isFalse();
  }

  @Test
  void keepsUnknownFiguresAsNull() {
    ObjectNode n =
        ScalingSection.build(List.of(new ScalingSample(0, null, null, null, Map.of())), null);
    assertThat(n.path("timeline").get(0).path("currentReplicas").isNull()).isTrue();
    assertThat(n.path("scaleUpSeconds").isNull()).isTrue();
  }
}
