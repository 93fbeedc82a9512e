package dev.surge.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.surge.loadgen.client.RequestTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestMixTest {
  private static final RequestTemplate A = RequestTemplate.get("http://127.0.0.1:1/a");
  private static final RequestTemplate B = RequestTemplate.get("http://127.0.0.1:1/b");

  @Test
  void picksInProportionToWeightsAndReproducibly() {
    RequestMix mix =
        RequestMix.of(List.of(new RequestMix.Weighted(A, 3), new RequestMix.Weighted(B, 1)));
    int a = 0;
    for (long n = 0; n < 40_000; n++) {
      if (mix.pick(n).equals(A)) {
        a++;
      }
    }
    assertThat(a / 40_000.0).isCloseTo(0.75, within(0.01));
    assertThat(mix.pick(12345)).isSameAs(mix.pick(12345));
  }

  @Test
  void rejectsNonPositiveWeight() {
    assertThatThrownBy(() -> RequestMix.of(List.of(new RequestMix.Weighted(A, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of request 1 (GET http://127.0.0.1:1/a) must be > 0, got 0.0");
  }
}
