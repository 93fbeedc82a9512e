package dev.surge.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.app.metrics.Metrics.AdminAuthOutcome;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminAuthTest {
  private final List<AdminAuthOutcome> outcomes = new ArrayList<>();
  private final Endpoint ok = exchange -> exchange.send(200, java.util.Map.of("done", true));

  @Test
  void withoutATokenTheEndpointIsUnchanged() {
    AdminAuth open = AdminAuth.open();
    assertThat(open.isRequired()).isFalse();
    assertThat(open.guard(ok)).isSameAs(ok);
  }

  @Test
  void refusesAMissingTokenWith401AChallengeAndAJsonBody() throws Exception {
    try (EndpointServer s =
        EndpointServer.start(
            "PUT", "/admin/x", AdminAuth.withToken("t0k", outcomes::add).guard(ok))) {
      HttpResponse<String> r = s.send("PUT", "/admin/x", "{}");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"surge-admin\"");
      assertThat(r.body())
          .isEqualTo(
              "{\"error\":\"missing token\",\"detail\":\"send Authorization: Bearer <admin token>\"}");
      assertThat(s.send("PUT", "/admin/x", "{}", "Authorization", "Basic dDBrOg==").statusCode())
          .isEqualTo(401);
      assertThat(s.send("PUT", "/admin/x", "{}", "Authorization", "Bearer ").statusCode())
          .isEqualTo(401);
      assertThat(outcomes).containsOnly(AdminAuthOutcome.MISSING).hasSize(3);
    }
  }

  @Test
  void aRefusalBeforeTheBodyIsReadClosesTheConnectionAndSaysSo() throws Exception {
    try (EndpointServer s =
        EndpointServer.start(
            "PUT", "/admin/x", AdminAuth.withToken("t0k", outcomes::add).guard(ok))) {
      HttpResponse<String> refused = s.send("PUT", "/admin/x", "{\"a\": 1}");
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("Connection")).hasValue("close");
      // The next request on the client gets its answer (a new connection), not a closed one.
      HttpResponse<String> next =
          s.send("PUT", "/admin/x", "{\"a\": 1}", "Authorization", "Bearer t0k");
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.headers().firstValue("Connection")).isEmpty();
    }
  }

  @Test
  void refusesAWrongTokenWithoutEchoingIt() throws Exception {
    try (EndpointServer s =
        EndpointServer.start(
            "PUT", "/admin/x", AdminAuth.withToken("t0k", outcomes::add).guard(ok))) {
      for (String wrong : List.of("t0k2", "t0", "T0K", "x".repeat(5000))) {
        HttpResponse<String> r =
            s.send("PUT", "/admin/x", "{}", "Authorization", "Bearer " + wrong);
        assertThat(r.statusCode())
            .as(wrong.substring(0, Math.min(10, wrong.length())))
            .isEqualTo(401);
        assertThat(r.body()).contains("\"wrong token\"").doesNotContain(wrong);
      }
      assertThat(outcomes).containsOnly(AdminAuthOutcome.WRONG).hasSize(4);
    }
  }

  @Test
  void letsTheRightTokenThroughWhateverTheSchemesCase() throws Exception {
    try (EndpointServer s =
        EndpointServer.start(
            "PUT", "/admin/x", AdminAuth.withToken("t0k", outcomes::add).guard(ok))) {
      assertThat(s.send("PUT", "/admin/x", "{}", "Authorization", "Bearer t0k").statusCode())
          .isEqualTo(200);
      assertThat(s.send("PUT", "/admin/x", "{}", "Authorization", "bearer t0k").statusCode())
          .isEqualTo(200);
      assertThat(outcomes).containsExactly(AdminAuthOutcome.ALLOWED, AdminAuthOutcome.ALLOWED);
    }
  }

  @Test
  void refusesAnEmptyToken() {
    assertThatThrownBy(() -> AdminAuth.withToken("", outcomes::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an admin token must not be empty");
  }
}
