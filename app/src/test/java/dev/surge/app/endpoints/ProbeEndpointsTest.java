package dev.surge.app.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.Lifecycle;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.fault.Faults;
import dev.surge.app.http.EndpointServer;
import dev.surge.app.http.Router;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ProbeEndpointsTest {
  private final Lifecycle lifecycle = new Lifecycle();
  private final Faults faults = new Faults(new FaultSettings(0, 0, true));
  private final ProbeEndpoints probes = new ProbeEndpoints(lifecycle, faults);

  private EndpointServer server() throws Exception {
    return EndpointServer.start(
        Router.builder()
            .route("GET", "/healthz", probes.healthz())
            .route("GET", "/readyz", probes.readyz())
            .build(),
        lifecycle);
  }

  @Test
  void livenessAnswers200InEveryState() throws Exception {
    try (EndpointServer s = server()) {
      for (Lifecycle.State state : Lifecycle.State.values()) {
        lifecycle.advanceTo(state);
        assertThat(s.get("/healthz").statusCode()).as(state.name()).isEqualTo(200);
      }
    }
  }

  @Test
  void readinessFollowsTheLifecycleAndTheForcedOffFault() throws Exception {
    try (EndpointServer s = server()) {
      HttpResponse<String> starting = s.get("/readyz");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body())
          .isEqualTo("{\"error\":\"not ready\",\"detail\":\"the app is starting\"}");
      lifecycle.advanceTo(Lifecycle.State.READY);
      assertThat(s.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(probes.isReady()).isTrue();
      faults.set(new FaultSettings(0, 0, false));
      HttpResponse<String> forcedOff = s.get("/readyz");
      assertThat(forcedOff.statusCode()).isEqualTo(503);
      assertThat(forcedOff.body()).contains("readiness is forced off");
      faults.set(new FaultSettings(0, 0, true));
      lifecycle.advanceTo(Lifecycle.State.DRAINING);
      assertThat(s.get("/readyz").body()).contains("the app is draining");
      assertThat(probes.isReady()).isFalse();
    }
  }
}
