package dev.surge.cluster.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.hpa.ManifestDocuments;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Also the home of a small PrometheusRule that the stack's test-copy test reuses. */
public class RuleGroupsTest {
  /**
   * A PrometheusRule with a recording group (interval 30s) and an alert group (for: 2m, 1h30m,
   * 30s).
   */
  public static ObjectNode sampleRule() throws Exception {
    return (ObjectNode)
        ManifestDocuments.YAML.readTree(
            """
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
  void asShippedKeepsEverything() throws Exception {
    JsonNode shipped = ManifestDocuments.YAML.readTree(RuleGroups.of(sampleRule()).asShipped());
    assertThat(shipped.path("groups")).isEqualTo(sampleRule().path("spec").path("groups"));
  }

  @Test
  void writesTheRuleFileAsShipped(@TempDir Path dir) throws Exception {
    Path file = RuleGroups.of(sampleRule()).writeRuleFile(dir.resolve("rules.yaml"));
    assertThat(ManifestDocuments.YAML.readTree(file.toFile()).path("groups"))
        .isEqualTo(sampleRule().path("spec").path("groups"));
  }

  @Test
  void listsRecordAndAlertNamesAndLabels() throws Exception {
    RuleGroups rules = RuleGroups.of(sampleRule());
    assertThat(rules.rules()).hasSize(4);
    assertThat(rules.recordNames()).containsExactly("surge:x:rate5m");
    assertThat(rules.alertNames()).containsExactly("Fast", "Slow", "Short");
    assertThat(rules.alertLabel("Slow", "severity")).isEqualTo("ticket");
    assertThatThrownBy(() -> rules.alertLabel("Short", "severity"))
        .hasMessage("alert Short has no label severity");
    assertThatThrownBy(() -> rules.alertLabel("Nope", "severity"))
        .hasMessage("no alert Nope in the PrometheusRule, only [Fast, Slow, Short]");
  }

  @Test
  void failsOnAPrometheusRuleWithoutGroups() throws Exception {
    ObjectNode empty = sampleRule();
    ((ObjectNode) empty.path("spec")).putArray("groups");
    assertThatThrownBy(() -> RuleGroups.of(empty))
        .hasMessage("PrometheusRule surge has no spec.groups");
  }

  @Test
  void changingTheCopyLeavesTheExtractedGroupsAlone() throws Exception {
    RuleGroups rules = RuleGroups.of(sampleRule());
    ((ObjectNode) rules.groups().path(0)).put("interval", "1s");
    assertThat(rules.groups().path(0).path("interval").asText()).isEqualTo("30s");
  }

  @Test
  void mergesTheGroupsOfEveryPrometheusRuleOfTheManifests() throws Exception {
    var objects =
        ManifestDocuments.parse(
            """
            kind: Service
            metadata: {name: surge}
            ---
            kind: PrometheusRule
            metadata: {name: a}
            spec: {groups: [{name: one, rules: [{record: a:b:c, expr: "1"}]}]}
            ---
            kind: PrometheusRule
            metadata: {name: b}
            spec: {groups: [{name: two, rules: [{alert: X, expr: "1"}]}]}
            """,
            "test");
    RuleGroups rules = RuleGroups.fromObjects(objects);
    assertThat(rules.recordNames()).containsExactly("a:b:c");
    assertThat(rules.alertNames()).containsExactly("X");
    assertThatThrownBy(() -> RuleGroups.fromObjects(objects.subList(0, 1)))
        .hasMessage("the manifests have no PrometheusRule with spec.groups");
  }
}
