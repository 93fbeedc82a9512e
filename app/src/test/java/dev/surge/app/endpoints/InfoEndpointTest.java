package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.app.http.EndpointServer;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InfoEndpointTest {
  @Test
  void namesTheAppVersionInstanceAndUptime() throws Exception {
    long startedAnHourAgo = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    try (EndpointServer s =
        EndpointServer.start("GET", "/", new InfoEndpoint("1.2.3", "pod-7", startedAnHourAgo))) {
      HttpResponse<String> r = s.get("/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Surge-Instance")).hasValue("unit");
      JsonNode body = new ObjectMapper().readTree(r.body());
      assertThat(body.get("name").asText()).isEqualTo("surge");
      assertThat(body.get("version").asText()).isEqualTo("1.2.3");
      assertThat(body.get("instance").asText()).isEqualTo("pod-7");
      assertThat(body.get("uptimeSeconds").asDouble()).isGreaterThanOrEqualTo(3600.0);
    }
  }
}
