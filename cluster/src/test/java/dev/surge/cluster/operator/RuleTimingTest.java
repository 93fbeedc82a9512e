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
}
