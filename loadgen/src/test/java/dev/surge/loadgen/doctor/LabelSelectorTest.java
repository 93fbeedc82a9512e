package dev.surge.loadgen.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LabelSelector selector(String json) throws Exception {
    return LabelSelector.of(JSON.readTree(json));
  }

  @Test
  void emptySelectorSelectsEverything() throws Exception {
    LabelSelector s = selector("{}");
    assertThat(s.selectsEverything()).isTrue();
    assertThat(s.matches(Map.of())).isTrue();
    assertThat(s.matches(Map.of("release", "kps"))).isTrue();
    assertThat(s).hasToString("everything ({})");
  }

  @Test
  void nullOrAbsentSelectorSelectsNothing() {
    for (JsonNode node : new JsonNode[] {null, NullNode.getInstance(), JSON.missingNode()}) {
      LabelSelector s = LabelSelector.of(node);
      assertThat(s.isNull()).isTrue();
      assertThat(s.matches(Map.of())).isFalse();
      assertThat(s.matches(Map.of("release", "prometheus"))).isFalse();
      assertThat(s.changesToMatch(Map.of())).isEmpty();
    }
  }

  @Test
  void matchLabelsNeedsEveryPairAndMatchExpressionsAreAnded() throws Exception {
    LabelSelector s =
        selector(
            "{\"matchLabels\":{\"release\":\"prometheus\",\"team\":\"a\"},"
                + "\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"web\",\"api\"]}]}");
    assertThat(s.matches(Map.of("release", "prometheus", "team", "a", "tier", "api"))).isTrue();
    assertThat(s.matches(Map.of("release", "prometheus", "team", "a"))).isFalse();
    assertThat(s.matches(Map.of("release", "prometheus", "tier", "web"))).isFalse();
    assertThat(s).hasToString("release=prometheus, team=a, tier in (web,api)");
  }

  @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "In;a,b;a;true",
        "In;a,b;c;false",
        "In;a,b;;false",
        "NotIn;a,b;c;true",
        "NotIn;a,b;a;false",
        "NotIn;a,b;;true",
        "Exists;;x;true",
        "Exists;;;false",
        "DoesNotExist;;x;false",
        "DoesNotExist;;;true",
        "Gt;1;2;false"
      })
  void eachOperatorFollowsTheApi(String op, String values, String label, boolean expected)
      throws Exception {
    String vals =
        values == null ? "" : ",\"values\":[\"" + String.join("\",\"", values.split(",")) + "\"]";
    LabelSelector s =
        selector(
            "{\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"" + op + "\"" + vals + "}]}");
    Map<String, String> labels = label == null ? Map.of() : Map.of("k", label);
    assertThat(s.matches(labels)).isEqualTo(expected);
  }

  @Test
  void changesToMatchSetsAndRemovesLabels() throws Exception {
    LabelSelector s =
        selector(
            "{\"matchLabels\":{\"release\":\"kps\"},\"matchExpressions\":["
                + "{\"key\":\"scrape\",\"operator\":\"Exists\"},"
                + "{\"key\":\"legacy\",\"operator\":\"DoesNotExist\"}]}");
    Map<String, String> ours = Map.of("release", "prometheus", "legacy", "yes", "app", "surge");
    Map<String, Optional<String>> changes = s.changesToMatch(ours).orElseThrow();
    assertThat(changes)
        .containsOnly(
            Map.entry("release", Optional.of("kps")),
            Map.entry("scrape", Optional.of("true")),
            Map.entry("legacy", Optional.empty()));
    assertThat(s.changesToMatch(Map.of("release", "kps", "scrape", "1"))).contains(Map.of());
  }

  @Test
  void contradictoryRequirementsCannotBeMet() throws Exception {
    LabelSelector s =
        selector(
            "{\"matchLabels\":{\"a\":\"1\"},"
                + "\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"NotIn\",\"values\":[\"1\"]}]}");
    assertThat(s.changesToMatch(Map.of())).isEmpty();
    assertThat(
            selector("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}")
                .changesToMatch(Map.of()))
        .isEmpty();
  }

  @Test
  void equalitySelectorsParseAsKubectlTakesThem() {
    LabelSelector s = LabelSelector.ofEqualities("app.kubernetes.io/name=grafana,tier=ui");
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "grafana", "tier", "ui"))).isTrue();
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "grafana"))).isFalse();
  }
}
