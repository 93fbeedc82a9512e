package dev.surge.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
  private static final Endpoint ROOT = e -> {};
  private static final Endpoint WORK = e -> {};
  private static final Endpoint DELAY = e -> {};
  private static final Endpoint GET_FAULTS = e -> {};
  private static final Endpoint PUT_FAULTS = e -> {};
  private static final Endpoint BURN = e -> {};

  private final Router router =
      Router.builder()
          .route("GET", "/", ROOT)
          .route("GET", "/api/work", WORK)
          .route("GET", "/delay/{millis}", DELAY)
          .route("GET", "/admin/faults", GET_FAULTS)
          .route("PUT", "/admin/faults", PUT_FAULTS)
          .route("POST", "/admin/cpu", BURN)
          .build();

  @Test
  void templatesAreTheRoutesInOrderThenUnmatched() {
    assertThat(router.templates())
        .containsExactly(
            "/", "/api/work", "/delay/{millis}", "/admin/faults", "/admin/cpu", "unmatched");
  }

  @Test
  void matchesAFixedPath() {
    Router.Match m = router.match("GET", "/api/work");
    assertThat(m.template()).isEqualTo("/api/work");
    assertThat(m.endpoint()).isSameAs(WORK);
    assertThat(m.routeIndex()).isEqualTo(1);
    assertThat(m.pathParam()).isNull();
    assertThat(m.allow()).isNull();
  }

  @Test
  void matchesTheRoot() {
    assertThat(router.match("GET", "/").endpoint()).isSameAs(ROOT);
  }

  @Test
  void matchesAParameterSegmentAndHandsItsRawValueOver() {
    Router.Match m = router.match("GET", "/delay/250");
    assertThat(m.template()).isEqualTo("/delay/{millis}");
    assertThat(m.endpoint()).isSameAs(DELAY);
    assertThat(m.pathParam()).isEqualTo("250");
    assertThat(router.match("GET", "/delay/abc").pathParam()).isEqualTo("abc");
  }

  @Test
  void picksTheEndpointByMethod() {
    assertThat(router.match("GET", "/admin/faults").endpoint()).isSameAs(GET_FAULTS);
    assertThat(router.match("PUT", "/admin/faults").endpoint()).isSameAs(PUT_FAULTS);
  }

  @Test
  void answersHeadWithTheGetEndpoint() {
    assertThat(router.match("HEAD", "/api/work").endpoint()).isSameAs(WORK);
  }

  @ParameterizedTest
  @CsvSource({
    "DELETE,/api/work,'GET, HEAD'",
    "POST,/admin/faults,'GET, HEAD, PUT'",
    "GET,/admin/cpu,POST",
    "HEAD,/admin/cpu,POST",
    "BREW,/delay/5,'GET, HEAD'"
  })
  void aKnownPathWithAnotherMethodHasNoEndpointAndListsTheAllowedOnes(
      String method, String path, String allow) {
    Router.Match m = router.match(method, path);
    assertThat(m.endpoint()).isNull();
    assertThat(m.isUnmatched()).isFalse();
    assertThat(m.allow()).isEqualTo(allow);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/nope",
        "/api/work/",
        "/api",
        "/api/work/x",
        "/delay/",
        "/delay",
        "/delay/1/2",
        "//",
        "/API/WORK"
      })
  void everyUnknownPathIsUnmatched(String path) {
    Router.Match m = router.match("GET", path);
    assertThat(m.isUnmatched()).isTrue();
    assertThat(m.template()).isEqualTo(Router.UNMATCHED);
    assertThat(m.routeIndex()).isEqualTo(router.templates().size() - 1);
    assertThat(m.endpoint()).isNull();
    assertThat(m.allow()).isNull();
  }

  @Test
  void refusesATemplateWithAParameterBeforeTheLastSegment() {
    assertThatThrownBy(() -> Router.builder().route("GET", "/a/{x}/b", e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only the last segment may be a {parameter}: /a/{x}/b");
  }

  @Test
  void refusesTheSameMethodTwiceOnARoute() {
    assertThatThrownBy(
            () -> Router.builder().route("GET", "/a", e -> {}).route("GET", "/a", e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GET /a is already routed");
  }

  @Test
  void theRouteLabelTakesOnlyTemplateValuesWhateverThePath() {
    List<String> templates = router.templates();
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder path = new StringBuilder();
      int segments = random.nextInt(4);
      for (int s = 0; s < segments; s++) {
        path.append('/').append(Integer.toString(random.nextInt(1_000_000), 36));
      }
      assertThat(templates).contains(router.match("GET", path.toString()).template());
    }
  }
}
