package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.http.EndpointServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusEndpointTest {
  private static EndpointServer server;

  @BeforeAll
  static void start() throws Exception {
    server = EndpointServer.start("GET", "/status/{code}", new StatusEndpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({"200", "201", "299", "302", "399"})
  void answersASuccessOrRedirectWithItsCodeInTheBody(int code) {
    HttpResponse<String> r = server.get("/status/" + code);
    assertThat(r.statusCode()).isEqualTo(code);
    assertThat(r.body()).isEqualTo("{\"status\":" + code + ",\"interimStatus\":null}");
  }

  @ParameterizedTest
  @CsvSource({"400", "418", "500", "503", "599"})
  void answersAnErrorWithTheJsonErrorBody(int code) {
    HttpResponse<String> r = server.get("/status/" + code);
    assertThat(r.statusCode()).isEqualTo(code);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"requested status\",\"detail\":\"GET /status/"
                + code
                + " asked for this status\"}");
  }

  @Test
  void answers204WithoutABody() {
    HttpResponse<String> r = server.get("/status/204");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void sendsAnInterimCodeBeforeAFinal200() {
    HttpResponse<String> r = server.get("/status/103");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":200,\"interimStatus\":103}");
  }

  @ParameterizedTest
  @CsvSource({"99", "600", "abc", "-1"})
  void refusesACodeOutside100To599With400NamingIt(String code) {
    HttpResponse<String> r = server.get("/status/" + code);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"bad parameter\",\"detail\":\"code must be an integer from 100 to 599, got '"
                + code
                + "'\"}");
  }
}
