package dev.surge.systest.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantitiesTest {
  @Test
  void parsesCpuAndMemoryQuantities() {
    assertThat(Quantities.parse("250m")).isEqualTo(0.25);
    assertThat(Quantities.parse("2")).isEqualTo(2.0);
    assertThat(Quantities.parse("1.5")).isEqualTo(1.5);
    assertThat(Quantities.parse("512Mi")).isEqualTo(536_870_912.0);
    assertThat(Quantities.parse("1G")).isEqualTo(1e9);
  }

  @Test
  void rejectsWhatIsNotAQuantity() {
    assertThatThrownBy(() -> Quantities.parse("12 cores")).hasMessage("not a Kubernetes quantity: '12 cores'");
  }
}
