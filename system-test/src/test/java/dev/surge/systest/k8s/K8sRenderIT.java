package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Kustomize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The base, every component (through an overlay) and every overlay render with the real kubectl
 * kustomize.
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

  @Test
  void demoOverlayHasEverythingButTheKedaAlternative() {
    JsonNode k = Kustomize.readYaml(Manifests.k8s().resolve("overlays/demo/kustomization.yaml"));
    List<String> components = new ArrayList<>();
    k.path("components").forEach(c -> components.add(c.asText()));
    List<String> expected =
        Manifests.components().stream()
            .map(Manifests::name)
            .filter(n -> !n.equals("components/keda"))
            .map(n -> "../../" + n)
            .toList();
    assertThat(components).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Kustomize.ofKind(Manifests.demo(), "ScaledObject")).isEmpty();
  }

  @Test
  void everyOverlayIncludesTheGrafanaDashboards() {
    for (Path overlay : Manifests.overlays()) {
      JsonNode k = Kustomize.readYaml(overlay.resolve("kustomization.yaml"));
      assertThat(k.path("resources").toString())
          .as(Manifests.name(overlay))
          .contains("\"../../../dashboards\"");
      assertThat(
              Manifests.render(overlay).stream()
                  .filter(o -> o.path("metadata").path("labels").has("grafana_dashboard")))
          .as(Manifests.name(overlay))
          .isNotEmpty();
    }
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
