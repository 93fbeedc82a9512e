package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.http.EndpointServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EndpointServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        EndpointServer.start(
            "GET", "/api/work", new WorkEndpoint(20, dev.surge.app.metrics.WorkMetrics.OFF));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void burnsAtLeastTheCpuTimeAskedFor() throws Exception {
    HttpResponse<String> r = server.get("/api/work?cpuMillis=5");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("cpuMillis").asLong()).isEqualTo(5);
    // Thread CPU time, not wall time: the burn runs until this thread has used 5 ms.
    assertThat(body.get("cpuMillisUsed").asDouble()).isGreaterThanOrEqualTo(5.0);
  }

  @Test
  void burnsNothingWithoutTheParameter() throws Exception {
    JsonNode body = JSON.readTree(server.get("/api/work").body());
    assertThat(body.get("cpuMillis").asLong()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"21", "-1", "lots"})
  void refusesMoreThanTheCapWith400NamingTheParameter(String cpuMillis) {
    HttpResponse<String> r = server.get("/api/work?cpuMillis=" + cpuMillis);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"bad parameter\",\"detail\":\"cpuMillis must be an integer from 0 to 20, got '"
                + cpuMillis
                + "'\"}");
  }
}
