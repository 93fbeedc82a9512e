package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain alertmanager.yml passes amtool and routes like the AlertmanagerConfig; neither holds a
 * credential.
 */
class K8sAlertmanagerIT {
  static final Path CONFIG = RepoPaths.resolve("k8s/alertmanager/alertmanager.yml");

  @Test
  void amtoolCheckConfigAcceptsTheExample() {
    Path amtool = Tools.require("amtool", "prometheus-alertmanager");
    Commands.Result r = Commands.run(List.of(amtool.toString(), "check-config", CONFIG.toString()));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout()).contains("SUCCESS").contains("3 receivers");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "alertname=SurgeErrorBudgetBurnFast namespace=surge severity=page,surge-page",
    "alertname=SurgeHighErrorRate namespace=surge severity=ticket,surge-ticket",
    "alertname=SurgeSomethingNew namespace=surge severity=info,surge-ticket",
    "alertname=SurgeSomethingNew namespace=surge,surge-ticket",
    // the chart's own alerts in namespace surge are not surge's to route (a failed load test's
    // KubeJobFailed is the Job's designed verdict), nor are surge-named alerts elsewhere
    "alertname=KubeJobFailed namespace=surge severity=warning,null",
    "alertname=KubeHpaMaxedOut namespace=surge severity=warning,null",
    "alertname=KubePodCrashLooping namespace=surge severity=warning,null",
    "alertname=TargetDown namespace=surge severity=warning,null",
    "alertname=KubeQuotaAlmostFull namespace=surge severity=info,null",
    "alertname=SurgeHighErrorRate namespace=other severity=ticket,null"
  })
  void amtoolRoutesSurgesOwnAlertsBySeverityAsTheContractSays(String labels, String receiver) {
    Path amtool = Tools.require("amtool", "prometheus-alertmanager");
    List<String> command =
        new ArrayList<>(
            List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + CONFIG));
    command.addAll(List.of(labels.split(" ")));
    Commands.Result r = Commands.run(command);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(receiver);
  }

  @Test
  void alertmanagerConfigRoutesAndInhibitsLikeThePlainExample() {
    JsonNode plain = Kustomize.readYaml(CONFIG);
    ObjectNode amc = Kustomize.one(Manifests.full(), "AlertmanagerConfig", "surge");
    JsonNode route = amc.path("spec").path("route");
    // the plain config's one child route is what the operator makes of the CRD's route: its
    // matchers plus namespace="surge"
    assertThat(plain.path("route").path("receiver").asText()).isEqualTo("null");
    assertThat(plain.path("route").path("routes").size()).isEqualTo(1);
    JsonNode scoped = plain.path("route").path("routes").get(0);
    assertThat(route.path("receiver").asText())
        .isEqualTo(scoped.path("receiver").asText())
        .isEqualTo("surge-ticket");
    List<String> crdMatchers = new ArrayList<>();
    route.path("matchers").forEach(m -> crdMatchers.add(plainMatcher(m)));
    crdMatchers.add("namespace=\"surge\"");
    List<String> plainMatchers = new ArrayList<>();
    scoped.path("matchers").forEach(m -> plainMatchers.add(m.asText()));
    assertThat(crdMatchers)
        .containsExactlyInAnyOrderElementsOf(plainMatchers)
        .contains("alertname=~\"Surge.+\"");
    assertThat(childRoutes(route, true))
        .isEqualTo(childRoutes(scoped, false))
        .containsExactly(
            Map.entry("severity=\"page\"", "surge-page"),
            Map.entry("severity=\"ticket\"", "surge-ticket"));
    List<String> crdReceivers = new ArrayList<>();
    amc.path("spec").path("receivers").forEach(r -> crdReceivers.add(r.path("name").asText()));
    List<String> plainReceivers = new ArrayList<>();
    plain.path("receivers").forEach(r -> plainReceivers.add(r.path("name").asText()));
    assertThat(crdReceivers).containsExactly("surge-page", "surge-ticket");
    assertThat(plainReceivers).containsExactly("null", "surge-page", "surge-ticket");
    // no receiver posts to a service nothing creates
    assertThat(amc.path("spec").path("receivers").findValues("webhookConfigs")).isEmpty();
    assertThat(plain.path("receivers").findValues("webhook_configs")).isEmpty();
    assertThat(amc.path("spec").path("inhibitRules").get(0).path("equal").toString())
        .isEqualTo(plain.path("inhibit_rules").get(0).path("equal").toString());
  }

  @Test
  void noCredentialIsInline() throws IOException {
    String plain = Files.readString(CONFIG);
    assertThat(plain)
        .doesNotContainPattern(
            "(?m)^\\s*(api_url|routing_key|service_key|api_key|auth_password|credentials|url_secret):");
    assertThat(plain).contains("routing_key_file:", "api_url_file:");
    ObjectNode amc = Kustomize.one(Manifests.full(), "AlertmanagerConfig", "surge");
    JsonNode receivers = amc.path("spec").path("receivers");
    // every credential is a Secret key reference {name, key}
    assertThat(receivers.findValues("routingKey")).allSatisfy(this::isSecretRef).isNotEmpty();
    assertThat(receivers.findValues("apiURL")).allSatisfy(this::isSecretRef).isNotEmpty();
    assertThat(amc.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
  }

  @Test
  void grafanaAdminPasswordComesFromASecretInTheHelmValues() throws IOException {
    Path values = RepoPaths.resolve("k8s/monitoring/kube-prometheus-stack-values.yaml");
    JsonNode admin = Kustomize.readYaml(values).path("grafana").path("admin");
    assertThat(admin.path("existingSecret").asText()).isNotBlank();
    assertThat(admin.path("passwordKey").asText()).isNotBlank();
    assertThat(Files.readString(values)).doesNotContainPattern("(?m)^\\s*adminPassword:");
  }

  private void isSecretRef(JsonNode ref) {
    assertThat(ref.isObject()).as(ref.toString()).isTrue();
    assertThat(ref.path("name").asText()).isEqualTo("surge-alertmanager");
    assertThat(ref.path("key").asText()).isNotBlank();
  }

  private static String plainMatcher(JsonNode m) {
    String op =
        switch (m.path("matchType").asText("=")) {
          case "=~" -> "=~";
          case "!=" -> "!=";
          case "!~" -> "!~";
          default -> "=";
        };
    return m.path("name").asText() + op + "\"" + m.path("value").asText() + "\"";
  }

  /**
   * matcher -> receiver of the child routes, in order; CRD matchers {name,value} rendered as the
   * plain form.
   */
  private static Map<String, String> childRoutes(JsonNode route, boolean crd) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode child : route.path("routes")) {
      List<String> matchers = new ArrayList<>();
      for (JsonNode m : child.path("matchers")) {
        matchers.add(
            crd ? m.path("name").asText() + "=\"" + m.path("value").asText() + "\"" : m.asText());
      }
      out.put(String.join(",", matchers), child.path("receiver").asText());
    }
    return out;
  }
}
