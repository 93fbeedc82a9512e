package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.burn.CpuBurner;
import dev.surge.app.burn.MemoryBurner;
import dev.surge.app.http.EndpointServer;
import dev.surge.app.http.Router;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BurnEndpointsTest {
  private final CpuBurner cpu = new CpuBurner(2, Duration.ofMinutes(5));
  private final MemoryBurner memory = new MemoryBurner(8L * 1024 * 1024, Duration.ofMinutes(5));
  private final BurnEndpoints burn = new BurnEndpoints(cpu, memory);

  @AfterEach
  void close() {
    cpu.close();
    memory.close();
  }

  private EndpointServer server() throws Exception {
    dev.surge.app.Lifecycle lifecycle = new dev.surge.app.Lifecycle();
    lifecycle.advanceTo(dev.surge.app.Lifecycle.State.READY);
    return EndpointServer.start(
        Router.builder()
            .route("POST", "/admin/cpu", burn.startCpu())
            .route("DELETE", "/admin/cpu", burn.cancelCpu())
            .route("POST", "/admin/memory", burn.startMemory())
            .route("DELETE", "/admin/memory", burn.cancelMemory())
            .build(),
        lifecycle);
  }

  @Test
  void startsAndCancelsACpuBurnWithTheDefaultDuration() throws Exception {
    try (EndpointServer s = server()) {
      HttpResponse<String> r = s.send("POST", "/admin/cpu", "{\"millicores\":100}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"millicores\":100,\"remainingSeconds\":60}");
      assertThat(cpu.millicores()).isEqualTo(100);
      assertThat(s.send("DELETE", "/admin/cpu", null).body())
          .isEqualTo("{\"millicores\":0,\"remainingSeconds\":0}");
      assertThat(cpu.millicores()).isZero();
    }
  }

  @Test
  void capsTheCpuBurnAtTheCoresAndTheDuration() throws Exception {
    try (EndpointServer s = server()) {
      assertThat(s.send("POST", "/admin/cpu", "{\"millicores\":2001}").body())
          .isEqualTo(
              "{\"error\":\"bad field\",\"detail\":\"millicores must be an integer from 1 to 2000, got 2001\"}");
      assertThat(s.send("POST", "/admin/cpu", "{\"millicores\":1,\"durationSeconds\":301}").body())
          .contains("durationSeconds must be an integer from 1 to 300, got 301");
      assertThat(cpu.millicores()).isZero();
    }
  }

  @Test
  void holdsAndReleasesMemoryWithinItsCap() throws Exception {
    try (EndpointServer s = server()) {
      HttpResponse<String> r =
          s.send("POST", "/admin/memory", "{\"mebibytes\":2,\"durationSeconds\":30}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(memory.bytesHeld()).isEqualTo(2L * 1024 * 1024);
      assertThat(s.send("POST", "/admin/memory", "{\"mebibytes\":9}").body())
          .contains("mebibytes must be an integer from 1 to 8, got 9");
      s.send("DELETE", "/admin/memory", null);
      assertThat(memory.bytesHeld()).isZero();
    }
  }

  @Test
  void refusesABodyThatIsNotAJsonObject() throws Exception {
    try (EndpointServer s = server()) {
      HttpResponse<String> r = s.send("POST", "/admin/cpu", "[1]");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("request body must be a JSON object");
    }
  }
}
