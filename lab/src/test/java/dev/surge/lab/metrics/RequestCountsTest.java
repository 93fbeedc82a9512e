package dev.surge.lab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestCountsTest {
  @Test
  void sumsEveryRouteButTheProbes() {
    String exposition =
        "# TYPE surge_http_requests_total counter\n"
            + "surge_http_requests_total{method=\"GET\",route=\"/api/work\",status=\"200\"} 40.0\n"
            + "surge_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 9.0\n"
            + "surge_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 3.0\n"
            + "surge_http_requests_total{method=\"GET\",route=\"/api/work\",status=\"500\"} 2.0 1700000000\n"
            + "surge_http_requests_created{method=\"GET\",route=\"/api/work\",status=\"200\"} 1.7E9\n";
    assertThat(RequestCounts.served(exposition)).isEqualTo(42.0);
  }
}
