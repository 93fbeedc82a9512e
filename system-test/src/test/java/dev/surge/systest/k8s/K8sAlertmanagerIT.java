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
    "severity=page,surge-page",
    "severity=ticket,surge-ticket",
    "severity=info,surge-default",
    "alertname=X,surge-default"
  })
  void amtoolRoutesBySeverityAsTheContractSays(String labels, String receiver) {
    Path amtool = Tools.require("amtool", "prometheus-alertmanager");
    List<String> command =
        new ArrayList<>(
            List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + CONFIG));
    command.add(labels);
    Commands.Result r = Commands.run(command);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(receiver);
  }

  @Test
  void alertmanagerConfigRoutesAndInhibitsLikeThePlainExample() {
    JsonNode plain = Kustomize.readYaml(CONFIG);
    ObjectNode amc = Kustomize.one(Manifests.demo(), "AlertmanagerConfig", "surge");
    JsonNode route = amc.path("spec").path("route");
    assertThat(route.path("receiver").asText())
        .isEqualTo(plain.path("route").path("receiver").asText())
        .isEqualTo("surge-default");
    assertThat(childRoutes(route, true))
        .isEqualTo(childRoutes(plain.path("route"), false))
        .containsExactly(
            Map.entry("severity=\"page\"", "surge-page"),
            Map.entry("severity=\"ticket\"", "surge-ticket"));
    List<String> crdReceivers = new ArrayList<>();
    amc.path("spec").path("receivers").forEach(r -> crdReceivers.add(r.path("name").asText()));
    List<String> plainReceivers = new ArrayList<>();
    plain.path("receivers").forEach(r -> plainReceivers.add(r.path("name").asText()));
    assertThat(crdReceivers)
        .containsExactlyElementsOf(plainReceivers)
        .containsExactly("surge-page", "surge-ticket", "surge-default");
    assertThat(amc.path("spec").path("inhibitRules").get(0).path("equal").toString())
        .isEqualTo(plain.path("inhibit_rules").get(0).path("equal").toString());
  }

  @Test
  void noCredentialIsInline() throws IOException {
    String plain = Files.readString(CONFIG);
    assertThat(plain)
        .doesNotContainPattern(
            "(?m)^\\s*(api_url|routing_key|service_key|api_key|auth_password|credentials|url_secret):");
    assertThat(plain).contains("routing_key_file:", "api_url_file:", "credentials_file:");
    ObjectNode amc = Kustomize.one(Manifests.demo(), "AlertmanagerConfig", "surge");
    JsonNode receivers = amc.path("spec").path("receivers");
    // every credential is a Secret key reference {name, key}
    assertThat(receivers.findValues("routingKey")).allSatisfy(this::isSecretRef).isNotEmpty();
    assertThat(receivers.findValues("apiURL")).allSatisfy(this::isSecretRef).isNotEmpty();
    assertThat(receivers.findValues("credentials")).allSatisfy(this::isSecretRef).isNotEmpty();
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
