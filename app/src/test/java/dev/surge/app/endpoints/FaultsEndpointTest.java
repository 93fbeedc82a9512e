package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.http.HttpProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultsEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FaultSettings CURRENT = new FaultSettings(0.1, 50, true);

  private static FaultSettings merge(String json) throws Exception {
    return FaultsEndpoint.merge(CURRENT, JSON.readTree(json), 1000);
  }

  @Test
  void changesOnlyTheFieldsGiven() throws Exception {
    assertThat(merge("{}")).isEqualTo(CURRENT);
    assertThat(merge("{\"errorRate\": 0.5}")).isEqualTo(new FaultSettings(0.5, 50, true));
    assertThat(merge("{\"addedLatencyMillis\": 200}")).isEqualTo(new FaultSettings(0.1, 200, true));
    assertThat(merge("{\"ready\": false}")).isEqualTo(new FaultSettings(0.1, 50, false));
    assertThat(merge("{\"errorRate\": 0, \"addedLatencyMillis\": 0, \"ready\": true}"))
        .isEqualTo(new FaultSettings(0, 0, true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"errorRate\": 1.5}|errorRate must be a number from 0 to 1, got 1.5",
        "{\"errorRate\": \"0.5\"}|errorRate must be a number from 0 to 1, got \"0.5\"",
        "{\"errorRate\": -0.1}|errorRate must be a number from 0 to 1, got -0.1",
        "{\"addedLatencyMillis\": 1001}|addedLatencyMillis must be an integer from 0 to 1000, got 1001",
        "{\"addedLatencyMillis\": 1.5}|addedLatencyMillis must be an integer from 0 to 1000, got 1.5",
        "{\"ready\": \"yes\"}|ready must be true or false, got \"yes\"",
        "{\"errorrate\": 0.5}|unknown field 'errorrate'; expected errorRate, addedLatencyMillis or ready",
      })
  void refusesABadFieldWith400NamingIt(String json, String detail) {
    assertThatThrownBy(() -> merge(json))
        .isInstanceOfSatisfying(
            HttpProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.detail()).isEqualTo(detail);
            });
  }
}
