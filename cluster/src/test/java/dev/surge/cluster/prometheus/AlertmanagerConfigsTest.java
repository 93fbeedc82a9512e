package dev.surge.cluster.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class AlertmanagerConfigsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void replacesIntegrationsWithWebhooksAndShortensTimersButKeepsTheRoutes() throws Exception {
    ObjectNode config =
        (ObjectNode)
            YAML.readTree(
                """
        global: {slack_api_url_file: /etc/secret/slack}
        templates: [/etc/am/*.tmpl]
        route:
          receiver: surge-default
          group_by: [alertname, namespace]
          group_wait: 30s
          routes:
            - matchers: ['severity="page"']
              receiver: surge-page
              group_wait: 10s
            - matchers: ['severity="ticket"']
              receiver: surge-ticket
        inhibit_rules:
          - source_matchers: ['severity="page"']
            target_matchers: ['severity="ticket"']
            equal: [alertname]
        receivers:
          - name: surge-default
          - name: surge-page
            pagerduty_configs: [{routing_key_file: /etc/secret/pd}]
          - name: surge-ticket
            slack_configs: [{channel: '#surge'}]
        """);
    JsonNode copy =
        YAML.readTree(
            AlertmanagerConfigs.testCopy(config, name -> "http://127.0.0.1:1/receiver/" + name));
    assertThat(copy.has("global")).isFalse();
    assertThat(copy.has("templates")).isFalse();
    assertThat(copy.path("receivers")).hasSize(3);
    JsonNode page = copy.path("receivers").path(1);
    assertThat(page.path("name").asText()).isEqualTo("surge-page");
    assertThat(page.has("pagerduty_configs")).isFalse();
    assertThat(page.path("webhook_configs").path(0).path("url").asText())
        .isEqualTo("http://127.0.0.1:1/receiver/surge-page");
    assertThat(copy.path("route").path("group_wait").asText()).isEqualTo("1s");
    assertThat(copy.path("route").path("routes").path(0).path("group_wait").asText())
        .isEqualTo("1s");
    assertThat(copy.path("route").path("routes").path(1).has("group_wait"))
        .as("inherits the root's")
        .isFalse();
    assertThat(copy.path("route").path("routes").path(0).path("matchers"))
        .isEqualTo(config.path("route").path("routes").path(0).path("matchers"));
    assertThat(copy.path("inhibit_rules")).isEqualTo(config.path("inhibit_rules"));
  }
}
