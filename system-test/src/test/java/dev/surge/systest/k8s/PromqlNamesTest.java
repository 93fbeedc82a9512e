package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlNamesTest {
  @Test
  void findsMetricsButNotFunctionsKeywordsLabelsOrDurations() {
    String expr =
        "sum by (namespace, job) (rate(surge_http_requests_total{job=\"surge\",route=~\"/api/.*\"}[5m])) / "
            + "ignoring(le) surge:sli_requests:rate5m > (14.4 * 0.005) and on(job) up offset 5m or absent(up{job=\"x\"})";
    assertThat(PromqlNames.metricNames(expr))
        .containsExactly("surge_http_requests_total", "surge:sli_requests:rate5m", "up");
  }

  @Test
  void findsSelectorsWithTheirMatchers() {
    var selectors =
        PromqlNames.selectors(
            "rate(a_bucket{job=\"surge\",route=~\"/api/.*\",le=\"0.2\"}[5m]) / b{status!~\"5..\"}");
    assertThat(selectors).hasSize(2);
    assertThat(selectors.get(0).metric()).isEqualTo("a_bucket");
    assertThat(selectors.get(0).matchers())
        .containsExactly(
            new PromqlNames.LabelMatcher("job", "=", "surge"),
            new PromqlNames.LabelMatcher("route", "=~", "/api/.*"),
            new PromqlNames.LabelMatcher("le", "=", "0.2"));
    assertThat(selectors.get(1).matchers().get(0).matches("500")).isFalse();
    assertThat(selectors.get(1).matchers().get(0).matches("200")).isTrue();
  }
}
