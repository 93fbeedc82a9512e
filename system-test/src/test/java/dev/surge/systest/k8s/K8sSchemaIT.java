package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Kustomize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered object, CRDs included, passes strict schema validation; broken objects do not. */
class K8sSchemaIT {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.surge.systest.k8s.Manifests#renderable")
  void everyRenderedObjectPassesStrictSchemaValidation(Path dir) {
    List<ObjectNode> objects = Manifests.render(dir);
    Map<String, List<String>> errors = SchemaValidator.validate(objects);
    assertThat(errors)
        .as("schema errors of %s", Manifests.name(dir))
        .allSatisfy((id, e) -> assertThat(e).as(id).isEmpty());
  }

  @Test
  void fullAndKedaCoverEveryCustomResourceKind() {
    List<String> kinds = new ArrayList<>();
    Stream.concat(Manifests.full().stream(), Manifests.keda().stream())
        .forEach(o -> kinds.add(o.path("kind").asText()));
    assertThat(kinds)
        .contains(
            "ServiceMonitor",
            "PodMonitor",
            "PrometheusRule",
            "AlertmanagerConfig",
            "VerticalPodAutoscaler",
            "ScaledObject");
  }

  @Test
  void rejectsAnUnknownFieldInADeployment() {
    ObjectNode d = copy("Deployment", "surge");
    ((ObjectNode) Manifests.podSpec(d).path("containers").get(0)).put("imagePullPolicyy", "Always");
    assertThat(SchemaValidator.errorsOf(d))
        .containsExactly(
            "/spec/template/spec/containers/0/imagePullPolicyy: unknown field \"imagePullPolicyy\"");
  }

  @Test
  void rejectsABadEnumValueInAServiceMonitor() {
    ObjectNode sm = copy("ServiceMonitor", "surge");
    ((ObjectNode) sm.path("spec").path("endpoints").get(0)).put("scheme", "htp");
    assertThat(SchemaValidator.errorsOf(sm))
        .singleElement()
        .asString()
        .startsWith("/spec/endpoints/0/scheme: must be equal to one of the allowed values");
  }

  @Test
  void rejectsAWrongTypeInTheHpa() {
    ObjectNode hpa = copy("HorizontalPodAutoscaler", "surge");
    ((ObjectNode) hpa.path("spec")).put("maxReplicas", "ten");
    assertThat(SchemaValidator.errorsOf(hpa)).containsExactly("/spec/maxReplicas: must be integer");
  }

  @Test
  void rejectsAMissingRequiredFieldInTheVpa() {
    ObjectNode vpa = copy("VerticalPodAutoscaler", "surge");
    ((ObjectNode) vpa.path("spec")).remove("targetRef");
    assertThat(SchemaValidator.errorsOf(vpa))
        .containsExactly("/spec: must have required property targetRef");
  }

  @Test
  void rejectsAnUnknownFieldInAPrometheusRuleAndAScaledObject() {
    ObjectNode rule = copy("PrometheusRule", "surge");
    ((ObjectNode) rule.path("spec").path("groups").get(0).path("rules").get(0))
        .put("expresion", "up");
    ObjectNode so = Kustomize.one(Manifests.keda(), "ScaledObject", "surge").deepCopy();
    ((ObjectNode) so.path("spec")).put("maxReplicas", 10);
    assertThat(SchemaValidator.errorsOf(rule))
        .containsExactly("/spec/groups/0/rules/0/expresion: unknown field \"expresion\"");
    assertThat(SchemaValidator.errorsOf(so))
        .containsExactly("/spec/maxReplicas: unknown field \"maxReplicas\"");
  }

  @Test
  void rejectsMistakesInAlertmanagerConfigChildRoutesThatTheCrdLeavesFreeForm() {
    ObjectNode amc = copy("AlertmanagerConfig", "surge");
    ArrayNode routes = (ArrayNode) amc.path("spec").path("route").path("routes");
    ((ObjectNode) routes.get(0)).put("reciever", "surge-page");
    ((ObjectNode) routes.get(1).path("matchers").get(0)).put("matchType", "==");
    assertThat(SchemaValidator.errorsOf(amc))
        .hasSize(2)
        .contains("/spec/route/routes/0/reciever: unknown field \"reciever\"")
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(
                        "/spec/route/routes/1/matchers/0/matchType: must be equal to one of"));
  }

  @Test
  void rejectsAMisspeltSubdomainInTheLoadgenJob() {
    ObjectNode job = copy("Job", "surge-loadgen");
    ObjectNode pod = (ObjectNode) Manifests.podSpec(job);
    pod.set("subdomian", pod.remove("subdomain"));
    assertThat(SchemaValidator.errorsOf(job))
        .containsExactly("/spec/template/spec/subdomian: unknown field \"subdomian\"");
  }

  @Test
  void rejectsAKindWithoutASchema() {
    ObjectNode o = Kustomize.JSON.createObjectNode();
    o.put("apiVersion", "example.com/v1")
        .put("kind", "Widget")
        .putObject("metadata")
        .put("name", "w");
    assertThat(SchemaValidator.errorsOf(o))
        .containsExactly(
            "/: no schema for example.com/v1 Widget in the installed kubernetes-models packages");
  }

  private static ObjectNode copy(String kind, String name) {
    return Kustomize.one(Manifests.full(), kind, name).deepCopy();
  }
}
