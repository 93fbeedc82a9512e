package dev.surge.systest.k8s;

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
  void rejectsWhatIsNotAQuantity() {
    assertThatThrownBy(() -> Quantity.parse("lots")).hasMessage("not a Kubernetes quantity: lots");
  }
}
