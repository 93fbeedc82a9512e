package dev.surge.cluster.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.hpa.ManifestDocuments;
import org.junit.jupiter.api.Test;

class RuleTimingTest {
  @Test
  void testCopyDividesForClausesAndSetsTheIntervalButKeepsExpressions() throws Exception {
    JsonNode copy =
        ManifestDocuments.YAML.readTree(
            RuleTiming.of(RuleGroups.of(RuleGroupsTest.sampleRule()), "1s", 60));
    assertThat(copy.path("groups").path(0).path("interval").asText()).isEqualTo("1s");
    assertThat(copy.path("groups").path(1).path("interval").asText()).isEqualTo("1s");
    JsonNode alerts = copy.path("groups").path(1).path("rules");
    assertThat(alerts.path(0).path("for").asText()).isEqualTo("2s");
    assertThat(alerts.path(1).path("for").asText()).isEqualTo("90s");
    assertThat(alerts.path(2).path("for").asText()).as("never below 1s").isEqualTo("1s");
    assertThat(copy.path("groups").path(0).path("rules").path(0).path("expr").asText())
        .isEqualTo("sum(rate(a_total[5m]))");
    assertThat(alerts.path(0).path("labels").path("severity").asText()).isEqualTo("page");
  }

  @Test
  void parsesPrometheusDurations() {
    assertThat(RuleTiming.seconds("15m")).isEqualTo(900);
    assertThat(RuleTiming.seconds("1h30m")).isEqualTo(5400);
    assertThat(RuleTiming.seconds("1d")).isEqualTo(86400);
    assertThat(RuleTiming.seconds("1500ms")).isEqualTo(1);
    assertThatThrownBy(() -> RuleTiming.seconds("5x"))
        .hasMessage("not a Prometheus duration: '5x'");
    assertThatThrownBy(() -> RuleTiming.seconds("m5"))
        .hasMessage("not a Prometheus duration: 'm5'");
  }

  @Test
  void compressesEveryRangeAndForButNotRegexClasses() throws Exception {
    assertThat(
            RuleTiming.compressRanges(
                "increase(x{pod=~\"surge-[a-z0-9]+\"}[15m]) / rate(y[1h]) + max_over_time(z[1h:5m])",
                12))
        .isEqualTo(
            "increase(x{pod=~\"surge-[a-z0-9]+\"}[75s]) / rate(y[300s]) + max_over_time(z[300s:5m])");
    JsonNode copy =
        ManifestDocuments.YAML.readTree(
            RuleTiming.compressed(RuleGroups.of(RuleGroupsTest.sampleRule()), 12, "5s"));
    assertThat(copy.path("groups").path(1).path("rules").path(0).path("for").asText())
        .isEqualTo("10s");
    assertThat(copy.path("groups").path(0).path("rules").path(0).path("expr").asText())
        .isEqualTo("sum(rate(a_total[25s]))");
    assertThat(copy.path("groups").path(0).path("interval").asText()).isEqualTo("5s");
  }
}
