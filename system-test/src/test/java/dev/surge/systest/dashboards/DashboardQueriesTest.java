package dev.surge.systest.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {
  private static Dashboard dashboard(String expr) throws Exception {
    String json =
        """
        {"uid": "d", "templating": {"list": [
          {"name": "namespace", "type": "query", "query": {"query": "label_values(surge_app_info, namespace)"}},
          {"name": "pod", "type": "query", "query": "label_values(surge_app_info{namespace=\\"$namespace\\"}, pod)"},
          {"name": "price", "type": "textbox", "query": "0.04", "current": {"value": "0.04"}},
          {"name": "objective", "type": "custom", "query": "0.99,0.995", "current": {"value": "0.995"}}]},
         "panels": [{"id": 1, "type": "row", "panels": [
           {"id": 2, "type": "timeseries", "title": "t", "targets": [{"refId": "A", "expr": %s}]}]}]}
        """
            .formatted(Dashboard.STRICT.writeValueAsString(expr));
    return new Dashboard(Path.of("d.json"), Dashboard.STRICT.readTree(json));
  }

  @Test
  void substitutesEveryReferenceFormIncludingPanelsInRows() throws Exception {
    Dashboard d =
        dashboard(
            "rate(x{namespace=\"$namespace\", pod=~\"${pod}\", p=\"[[pod]]\", q=\"${pod:regex}\"}[$__rate_interval]) * $price / (1 - $objective)");
    assertThat(
            DashboardQueries.of(
                d, Map.of("namespace", "surge", "pod", ".*", "__rate_interval", "1m")))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.expr())
                  .isEqualTo(
                      "rate(x{namespace=\"surge\", pod=~\".*\", p=\".*\", q=\".*\"}[1m]) * 0.04 / (1 - 0.995)");
              assertThat(q.where()).isEqualTo("d / #2 \"t\" A");
            });
  }

  @Test
  void leavesPromqlCaptureGroupsAlone() throws Exception {
    Dashboard d = dashboard("label_replace(up, \"x\", \"$1\", \"instance\", \"(.*):.*\")");
    assertThat(DashboardQueries.of(d, Map.of()).get(0).expr()).contains("\"$1\"");
  }

  @Test
  void failsNamingAVariableWithoutValue() throws Exception {
    Dashboard d = dashboard("up{namespace=\"$namspace\"}");
    assertThatThrownBy(() -> DashboardQueries.of(d, Map.of("namespace", "surge")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "d panel #2 \"t\": no value for variable $namspace in up{namespace=\"$namspace\"}");
  }

  @Test
  void splitsLabelValuesQueries() throws Exception {
    assertThat(DashboardQueries.variableQueries(dashboard("up"), Map.of("namespace", "surge")))
        .containsExactly(
            new DashboardQueries.LabelValues("namespace", "surge_app_info", "namespace"),
            new DashboardQueries.LabelValues("pod", "surge_app_info{namespace=\"surge\"}", "pod"));
  }
}
