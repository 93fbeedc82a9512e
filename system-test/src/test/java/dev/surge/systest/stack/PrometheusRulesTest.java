package dev.surge.systest.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static ObjectNode rule() throws Exception {
    return (ObjectNode) YAML.readTree("""
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata: {name: surge}
        spec:
          groups:
            - name: sli
              interval: 30s
              rules:
                - record: surge:x:rate5m
                  expr: sum(rate(a_total[5m]))
            - name: alerts
              rules:
                - alert: Fast
                  expr: surge:x:rate5m > 1
                  for: 2m
                  labels: {severity: page}
                - alert: Slow
                  expr: surge:x:rate5m > 0.1
                  for: 1h30m
                  labels: {severity: ticket}
                - alert: Short
                  expr: up == 0
                  for: 30s
        """);
  }

  @Test
  void testCopyDividesForClausesAndSetsTheIntervalButKeepsExpressions() throws Exception {
    JsonNode copy = YAML.readTree(PrometheusRules.of(rule()).testCopy("1s", 60));
    assertThat(copy.path("groups").path(0).path("interval").asText()).isEqualTo("1s");
    assertThat(copy.path("groups").path(1).path("interval").asText()).isEqualTo("1s");
    JsonNode alerts = copy.path("groups").path(1).path("rules");
    assertThat(alerts.path(0).path("for").asText()).isEqualTo("2s");
    assertThat(alerts.path(1).path("for").asText()).isEqualTo("90s");
    assertThat(alerts.path(2).path("for").asText()).as("never below 1s").isEqualTo("1s");
    assertThat(copy.path("groups").path(0).path("rules").path(0).path("expr").asText()).isEqualTo("sum(rate(a_total[5m]))");
    assertThat(alerts.path(0).path("labels").path("severity").asText()).isEqualTo("page");
  }

  @Test
  void asShippedKeepsEverything() throws Exception {
    JsonNode shipped = YAML.readTree(PrometheusRules.of(rule()).asShipped());
    assertThat(shipped.path("groups")).isEqualTo(rule().path("spec").path("groups"));
  }

  @Test
  void listsRecordAndAlertNamesAndLabels() throws Exception {
    PrometheusRules rules = PrometheusRules.of(rule());
    assertThat(rules.recordNames()).containsExactly("surge:x:rate5m");
    assertThat(rules.alertNames()).containsExactly("Fast", "Slow", "Short");
    assertThat(rules.alertLabel("Slow", "severity")).isEqualTo("ticket");
    assertThatThrownBy(() -> rules.alertLabel("Short", "severity")).hasMessage("alert Short has no label severity");
  }

  @Test
  void parsesPrometheusDurations() {
    assertThat(PrometheusRules.seconds("15m")).isEqualTo(900);
    assertThat(PrometheusRules.seconds("1h30m")).isEqualTo(5400);
    assertThat(PrometheusRules.seconds("1d")).isEqualTo(86400);
    assertThat(PrometheusRules.seconds("1500ms")).isEqualTo(1);
    assertThatThrownBy(() -> PrometheusRules.seconds("5x")).hasMessage("not a Prometheus duration: '5x'");
    assertThatThrownBy(() -> PrometheusRules.seconds("m5")).hasMessage("not a Prometheus duration: 'm5'");
  }
}
