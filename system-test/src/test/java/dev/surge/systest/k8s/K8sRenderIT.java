package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Kustomize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The base, every component (through an overlay) and every overlay render with the real kubectl
 * kustomize; the default path (demo) needs only kube-prometheus-stack and metrics-server.
 */
class K8sRenderIT {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.surge.systest.k8s.Manifests#renderable")
  void rendersIntoNamespacedObjectsOfTheSurgeNamespace(Path dir) {
    List<ObjectNode> objects = Manifests.render(dir);
    assertThat(objects).isNotEmpty();
    for (ObjectNode o : objects) {
      if (o.path("kind").asText().equals("Namespace")) {
        assertThat(o.path("metadata").path("name").asText()).isEqualTo("surge");
      } else if (o.path("metadata").path("labels").has("grafana_dashboard")) {
        // dashboards go where kube-prometheus-stack's Grafana sidecar looks: its own namespace
        assertThat(o.path("metadata").path("namespace").asText())
            .as(Kustomize.id(o))
            .isEqualTo("monitoring");
      } else {
        assertThat(o.path("metadata").path("namespace").asText())
            .as(Kustomize.id(o))
            .isEqualTo("surge");
      }
    }
    assertThat(Kustomize.describe(objects)).as("no duplicates").doesNotHaveDuplicates();
  }

  @Test
  void everyComponentIsUsedByAnOverlaySoThatItIsRendered() {
    List<String> used = new ArrayList<>();
    for (Path overlay : Manifests.overlays()) {
      JsonNode k = Kustomize.readYaml(overlay.resolve("kustomization.yaml"));
      k.path("components")
          .forEach(c -> used.add(overlay.resolve(c.asText()).normalize().toString()));
    }
    assertThat(Manifests.components()).isNotEmpty();
    for (Path component : Manifests.components()) {
      assertThat(used)
          .as("overlays using %s", Manifests.name(component))
          .contains(component.normalize().toString());
    }
  }

  /** Components whose kinds a cluster with only kube-prometheus-stack and metrics-server lacks. */
  static final List<String> OPTIONAL_COMPONENTS =
      List.of(
          "components/alertmanager",
          "components/custom-metrics-hpa",
          "components/keda",
          "components/keda-scale-to-zero",
          "components/vpa");

  /** API groups of built-in Kubernetes kinds ("" is the core group). */
  static final Set<String> BUILT_IN_GROUPS =
      Set.of("", "apps", "batch", "autoscaling", "policy", "networking.k8s.io");

  @Test
  void demoRendersOnlyBuiltInKindsAndKubePrometheusStacksKinds() {
    for (ObjectNode o : Manifests.demo()) {
      String apiVersion = o.path("apiVersion").asText();
      String group =
          apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      assertThat(BUILT_IN_GROUPS.contains(group) || group.equals("monitoring.coreos.com"))
          .as(
              "%s (%s) needs a CRD that neither Kubernetes nor kube-prometheus-stack installs",
              Kustomize.id(o), apiVersion)
          .isTrue();
    }
    // and the AlertmanagerConfig, though a monitoring.coreos.com kind, needs a hand-made Secret
    assertThat(Kustomize.ofKind(Manifests.demo(), "AlertmanagerConfig")).isEmpty();
  }

  @Test
  void demoUsesNoOptionalComponentAndFullUsesThemAll() {
    assertThat(components("overlays/demo"))
        .containsExactlyInAnyOrder(
            "components/admin-token", "components/finops", "components/loadgen")
        .doesNotContainAnyElementsOf(OPTIONAL_COMPONENTS);
    assertThat(components("overlays/full"))
        .containsExactlyInAnyOrder(
            "components/custom-metrics-hpa", "components/vpa", "components/alertmanager");
    assertThat(components("overlays/keda")).containsExactly("components/keda");
    assertThat(components("overlays/keda-zero"))
        .containsExactly("components/keda", "components/keda-scale-to-zero");
    assertThat(Kustomize.ofKind(Manifests.demo(), "ScaledObject")).isEmpty();
    assertThat(Kustomize.ofKind(Manifests.full(), "VerticalPodAutoscaler")).hasSize(1);
    assertThat(Kustomize.ofKind(Manifests.full(), "AlertmanagerConfig")).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"base", "overlays/demo", "overlays/seed"})
  void theDefaultPathsHpaScalesOnlyOnResourceMetricsThatMetricsServerServes(String dir) {
    ObjectNode hpa =
        Kustomize.one(
            Manifests.render(Manifests.k8s().resolve(dir)), "HorizontalPodAutoscaler", "surge");
    JsonNode metrics = hpa.path("spec").path("metrics");
    assertThat(metrics).isNotEmpty();
    for (JsonNode m : metrics) {
      // Pods, Object and External metrics need an adapter; an HPA never scales in while one of
      // its metrics is missing (FailedGetPodsMetric)
      assertThat(m.path("type").asText()).as("%s metric %s", dir, m).isEqualTo("Resource");
      assertThat(m.path("resource").path("name").asText()).isIn("cpu", "memory");
    }
    assertThat(hpa.path("spec").path("minReplicas").asInt())
        .as("scales in to minReplicas")
        .isLessThan(hpa.path("spec").path("maxReplicas").asInt());
    assertThat(hpa.path("spec").path("behavior").path("scaleDown").path("selectPolicy").asText())
        .as("scale-down is not disabled")
        .isNotEqualTo("Disabled");
  }

  @Test
  void baseAndDemoScaleOnCpuOnlyAsTheLabExpects() {
    for (List<ObjectNode> objects : List.of(Manifests.base(), Manifests.demo())) {
      JsonNode metrics =
          Kustomize.one(objects, "HorizontalPodAutoscaler", "surge").path("spec").path("metrics");
      assertThat(metrics).hasSize(1);
      assertThat(metrics.get(0).path("resource").path("name").asText()).isEqualTo("cpu");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"overlays/demo", "overlays/seed", "overlays/keda", "overlays/keda-zero"})
  void needsNoHandMadeSecret(String dir) {
    List<ObjectNode> objects = Manifests.render(Manifests.k8s().resolve(dir));
    for (ObjectNode w : K8sWiringIT.workloads(objects)) {
      JsonNode pod = Manifests.podSpec(w);
      for (JsonNode v : pod.path("volumes")) {
        if (v.has("secret")) {
          assertThat(v.path("secret").path("optional").asBoolean(false))
              .as("%s: Secret volume %s is optional", Kustomize.id(w), v.path("name").asText())
              .isTrue();
        }
        v.path("projected")
            .path("sources")
            .forEach(
                src -> {
                  if (src.has("secret")) {
                    assertThat(src.path("secret").path("optional").asBoolean(false))
                        .as("%s projected Secret", Kustomize.id(w))
                        .isTrue();
                  }
                });
      }
      List<JsonNode> containers = new ArrayList<>();
      pod.path("containers").forEach(containers::add);
      pod.path("initContainers").forEach(containers::add);
      for (JsonNode c : containers) {
        for (JsonNode ref : c.findValues("secretKeyRef")) {
          assertThat(ref.path("optional").asBoolean(false))
              .as("%s env Secret", Kustomize.id(w))
              .isTrue();
        }
        for (JsonNode ref : c.findValues("secretRef")) {
          assertThat(ref.path("optional").asBoolean(false))
              .as("%s envFrom Secret", Kustomize.id(w))
              .isTrue();
        }
      }
    }
    // no object refers to a Secret by name that the overlay does not make
    for (ObjectNode o : objects) {
      if (!K8sWiringIT.workloads(objects).contains(o)) {
        assertThat(o.toString()).as(Kustomize.id(o)).doesNotContain("surge-alertmanager");
      }
    }
  }

  @Test
  void theAdminTokenFileIsWhereTheOptionalSecretMountsIt() {
    JsonNode app =
        Manifests.container(Kustomize.one(Manifests.demo(), "Deployment", "surge"), "app");
    String file = K8sWiringIT.env(app).get("SURGE_ADMIN_TOKEN_FILE");
    assertThat(file).isEqualTo("/var/run/secrets/surge-admin/token");
    JsonNode mount = null;
    for (JsonNode m : app.path("volumeMounts")) {
      if (file.startsWith(m.path("mountPath").asText() + "/")) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume mounted above %s", file).isNotNull();
    String volume = mount.path("name").asText();
    JsonNode secret = null;
    for (JsonNode v :
        Manifests.podSpec(Kustomize.one(Manifests.demo(), "Deployment", "surge")).path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        secret = v.path("secret");
      }
    }
    assertThat(secret.path("secretName").asText()).isEqualTo("surge-admin-token");
    assertThat(secret.path("optional").asBoolean()).isTrue();
    assertThat(secret.path("items").get(0).path("path").asText())
        .isEqualTo(file.substring(file.lastIndexOf('/') + 1));
  }

  @Test
  void seedOverlayIsTheCourseSeedsHpaOnTopOfTheDemo() {
    JsonNode spec =
        Kustomize.one(Manifests.seed(), "HorizontalPodAutoscaler", "surge").path("spec");
    Map<String, Integer> targets = new LinkedHashMap<>();
    spec.path("metrics")
        .forEach(
            m ->
                targets.put(
                    m.path("resource").path("name").asText(),
                    m.path("resource").path("target").path("averageUtilization").asInt()));
    assertThat(targets).containsExactly(Map.entry("cpu", 70), Map.entry("memory", 80));
    assertThat(spec.path("minReplicas").asInt()).isEqualTo(2);
    assertThat(spec.path("maxReplicas").asInt()).isEqualTo(10);
    JsonNode up = spec.path("behavior").path("scaleUp");
    assertThat(up.path("stabilizationWindowSeconds").asInt()).isEqualTo(60);
    assertThat(up.path("policies"))
        .isEqualTo(json("[{\"type\":\"Percent\",\"value\":100,\"periodSeconds\":15}]"));
    JsonNode down = spec.path("behavior").path("scaleDown");
    assertThat(down.path("stabilizationWindowSeconds").asInt()).isEqualTo(300);
    assertThat(down.path("policies"))
        .isEqualTo(json("[{\"type\":\"Percent\",\"value\":10,\"periodSeconds\":60}]"));
    // everything else is the demo's
    List<String> demo =
        Manifests.demo().stream()
            .filter(o -> !o.path("kind").asText().equals("HorizontalPodAutoscaler"))
            .map(JsonNode::toString)
            .toList();
    List<String> seed =
        Manifests.seed().stream()
            .filter(o -> !o.path("kind").asText().equals("HorizontalPodAutoscaler"))
            .map(JsonNode::toString)
            .toList();
    assertThat(seed).containsExactlyInAnyOrderElementsOf(demo);
  }

  @Test
  void everyOverlayIncludesTheGrafanaDashboards() {
    for (Path overlay : Manifests.overlays()) {
      assertThat(
              Manifests.render(overlay).stream()
                  .filter(o -> o.path("metadata").path("labels").has("grafana_dashboard")))
          .as(Manifests.name(overlay))
          .hasSize(6);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Kustomize.JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** The components an overlay names itself, relative to k8s/. */
  private static List<String> components(String overlay) {
    Path dir = Manifests.k8s().resolve(overlay);
    List<String> out = new ArrayList<>();
    Kustomize.readYaml(dir.resolve("kustomization.yaml"))
        .path("components")
        .forEach(c -> out.add(Manifests.name(dir.resolve(c.asText()).normalize())));
    return out;
  }

  @Test
  void kedaOverlayReplacesTheHpaWithAScaledObject() {
    assertThat(Kustomize.ofKind(Manifests.keda(), "HorizontalPodAutoscaler")).isEmpty();
    assertThat(
            Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
                .path("spec")
                .path("scaleTargetRef")
                .path("name")
                .asText())
        .isEqualTo("surge");
  }
}
