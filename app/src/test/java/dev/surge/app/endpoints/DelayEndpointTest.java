package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.http.EndpointServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DelayEndpointTest {
  private static EndpointServer server;

  @BeforeAll
  static void start() throws Exception {
    server = EndpointServer.start("GET", "/delay/{millis}", new DelayEndpoint(100));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "100"})
  void answersWithTheDelayAskedFor(long millis) {
    HttpResponse<String> r = server.get("/delay/" + millis);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"delayMillis\":" + millis + "}");
  }

  @ParameterizedTest
  @CsvSource({"101", "-1", "1.5", "soon"})
  void refusesADelayOutsideTheCapWith400NamingIt(String millis) {
    HttpResponse<String> r = server.get("/delay/" + millis);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"bad parameter\",\"detail\":\"millis must be an integer from 0 to 100, got '"
                + millis
                + "'\"}");
  }

  @Test
  void answersOtherMethodsWith405AndAllow() {
    HttpResponse<String> r = server.send("POST", "/delay/1", "{}");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }
}
