package dev.surge.systest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantityTest {
  @Test
  void quantitiesParseToBaseUnits() {
    assertThat(Quantity.parse("250m")).isEqualByComparingTo("0.25");
    assertThat(Quantity.parse("512Mi")).isEqualByComparingTo(String.valueOf(512L << 20));
    assertThat(Quantity.parse("7Gi")).isEqualByComparingTo(String.valueOf(7L << 30));
    assertThat(Quantity.parse("4")).isEqualByComparingTo("4");
  }

  @Test
  void parsesCpuAndMemoryQuantitiesAsDoubles() {
    assertThat(Quantity.parseDouble("250m")).isEqualTo(0.25);
    assertThat(Quantity.parseDouble("2")).isEqualTo(2.0);
    assertThat(Quantity.parseDouble("1.5")).isEqualTo(1.5);
    assertThat(Quantity.parseDouble("512Mi")).isEqualTo(536_870_912.0);
    assertThat(Quantity.parseDouble("1G")).isEqualTo(1e9);
  }

  @Test
  void rejectsWhatIsNotAQuantity() {
    assertThatThrownBy(() -> Quantity.parse("lots"))
        .hasMessage("not a Kubernetes quantity: 'lots'");
    assertThatThrownBy(() -> Quantity.parseDouble("12 cores"))
        .hasMessage("not a Kubernetes quantity: '12 cores'");
  }
}
