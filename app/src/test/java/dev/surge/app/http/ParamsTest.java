package dev.surge.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {
  @Test
  void parsesAnIntegerInRange() {
    assertThat(Params.integer("cpuMillis", "250", 0, 1000)).isEqualTo(250);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1001", "1.5", "", " 5", "99999999999999999999"})
  void rejectsABadParameterWith400NamingIt(String text) {
    assertThatThrownBy(() -> Params.integer("cpuMillis", text, 0, 1000))
        .isInstanceOfSatisfying(
            HttpProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.error()).isEqualTo("bad parameter");
              assertThat(p.detail())
                  .isEqualTo("cpuMillis must be an integer from 0 to 1000, got '" + text + "'");
            });
  }

  @Test
  void rejectsAMissingRequiredParameter() {
    assertThatThrownBy(() -> Params.integer("code", null, 100, 599))
        .hasMessage("code is required: an integer from 100 to 599");
  }

  @Test
  void readsAJsonFieldOrItsFallback() throws Exception {
    JsonNode body = Json.MAPPER.readTree("{\"millicores\": 500, \"exact\": 2.0}");
    assertThat(Params.integer(body, "millicores", 1, 2000, null)).isEqualTo(500);
    assertThat(Params.integer(body, "exact", 1, 2000, null)).isEqualTo(2);
    assertThat(Params.integer(body, "durationSeconds", 1, 3600, 60L)).isEqualTo(60);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"n\": \"5\"}",
        "{\"n\": 1.5}",
        "{\"n\": 0}",
        "{\"n\": 11}",
        "{\"n\": true}",
        "{\"n\": [1]}"
      })
  void rejectsABadJsonFieldWith400NamingIt(String json) throws Exception {
    JsonNode body = Json.MAPPER.readTree(json);
    assertThatThrownBy(() -> Params.integer(body, "n", 1, 10, null))
        .isInstanceOfSatisfying(
            HttpProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.detail())
                  .isEqualTo("n must be an integer from 1 to 10, got " + body.get("n"));
            });
  }

  @Test
  void rejectsAMissingRequiredField() throws Exception {
    assertThatThrownBy(
            () -> Params.integer(Json.MAPPER.readTree("{}"), "millicores", 1, 2000, null))
        .hasMessage("millicores is required: an integer from 1 to 2000");
  }
}
