package dev.surge.loadgen.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The doctor on the repository's overlays as the real {@code kubectl kustomize} renders them,
 * against cluster JSON recorded from kube-prometheus-stack 88.5.3 (see
 * src/test/resources/doctor/README.md). What a line must say is derived from the rendered overlay
 * (which kinds, which ServiceMonitors, which Secrets), not written down per overlay.
 */
class DoctorIT {
  static java.util.stream.Stream<String> overlays() {
    return Rendered.overlayNames();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void aClusterWithEverythingPassesEveryCheck(String overlay) {
    Rendered.Report r = Rendered.doctor(overlay, FixtureCluster.healthy());
    assertThat(r.lines()).as(r.out()).isNotEmpty().allMatch(l -> l.startsWith("ok "));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).startsWith("surge doctor: context kind-surge (server v1.33.1), overlay ");
    assertThat(r.out()).endsWith("all " + r.lines().size() + " checks ok\n");
    assertThat(r.lines("ok", "metrics-server")).hasSize(1);
    assertThat(r.lines("ok", "image"))
        .containsExactly(
            "ok       image          namespace surge: no pods yet (nothing applied, or nothing"
                + " running): no image pull errors");
  }

  /** The kinds of the rendered overlay outside the built-in groups, as "Kind (group/version)". */
  private static Set<String> customKinds(String overlay, String... exceptGroups) {
    Set<String> kinds = new TreeSet<>();
    for (JsonNode o : Rendered.overlay(overlay).objects()) {
      String apiVersion = o.path("apiVersion").asText();
      if (!apiVersion.contains("/")) {
        continue; // core v1
      }
      String group = apiVersion.substring(0, apiVersion.indexOf('/'));
      if (!group.contains(".")
          || (group.endsWith(".k8s.io") && !group.equals("autoscaling.k8s.io"))
          || List.of(exceptGroups).contains(group)) {
        continue; // apps, batch, autoscaling, policy, networking.k8s.io, ...
      }
      kinds.add(o.path("kind").asText() + " (" + apiVersion + ")");
    }
    return kinds;
  }

  private static Set<String> subjects(List<String> lines) {
    Set<String> s = new TreeSet<>();
    for (String l : lines) {
      s.add(l.substring(24, l.indexOf(": ", 24)));
    }
    return s;
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void withOnlyTheStacksCrdsEveryOtherCustomKindIsMissingWithItsInstall(String overlay) {
    FixtureCluster cluster =
        FixtureCluster.healthy().set(CrdCheck.CRDS, FixtureCluster.load("crds-kps-88.5.3.json"));
    Rendered.Report r = Rendered.doctor(overlay, cluster);
    Set<String> expected = customKinds(overlay, "monitoring.coreos.com");
    assertThat(subjects(r.lines("missing", "crd"))).as(r.out()).isEqualTo(expected);
    assertThat(r.code()).isEqualTo(expected.isEmpty() ? 0 : 1);
    for (String l : r.lines("missing", "crd")) {
      assertThat(l).contains("no CRD defines it").contains("  fix: ");
      if (l.contains("(autoscaling.k8s.io/")) {
        assertThat(l).endsWith("vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml");
      }
      if (l.contains("(keda.sh/")) {
        assertThat(l).contains("helm install keda kedacore/keda -n keda --create-namespace");
      }
    }
    assertThat(subjects(r.lines("ok", "crd")))
        .isEqualTo(
            customKinds(overlay).stream()
                .filter(k -> !expected.contains(k))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void withoutAnyCrdTheMonitoringKindsPointAtKubePrometheusStack() {
    Rendered.Report r =
        Rendered.doctor("demo", FixtureCluster.healthy().set(CrdCheck.CRDS, List.of()));
    assertThat(subjects(r.lines("missing", "crd"))).isEqualTo(customKinds("demo"));
    assertThat(r.lines("missing", "crd"))
        .filteredOn(l -> l.contains("(monitoring.coreos.com/"))
        .isNotEmpty()
        .allMatch(l -> l.endsWith(KubePrometheusStack.INSTALL));
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void aCrdThatDoesNotServeTheVersionIsNamed() {
    List<JsonNode> crds = FixtureCluster.load("crds-kps-88.5.3.json");
    ObjectNode crd =
        (ObjectNode)
            crds.stream()
                .filter(c -> K8s.name(c).equals("servicemonitors.monitoring.coreos.com"))
                .findFirst()
                .orElseThrow();
    ObjectNode v1 = (ObjectNode) crd.path("spec").path("versions").get(0);
    ((ArrayNode) crd.path("spec").path("versions"))
        .addObject()
        .put("name", "v2")
        .put("served", true);
    v1.put("served", false);
    FixtureCluster cluster =
        FixtureCluster.healthy()
            .set(CrdCheck.CRDS, crds)
            .add(CrdCheck.CRDS, FixtureCluster.load("crds-vpa-keda.json"));
    Rendered.Report r = Rendered.doctor("demo", cluster);
    assertThat(r.lines("missing", "crd"))
        .containsExactly(
            "missing  crd            ServiceMonitor (monitoring.coreos.com/v1): CRD"
                + " servicemonitors.monitoring.coreos.com serves v2, not v1: upgrade what installed"
                + " it  fix: "
                + KubePrometheusStack.INSTALL);
  }

  @Test
  void metricsServerAvailableUnavailableAndAbsent() {
    FixtureCluster down =
        FixtureCluster.healthy()
            .set(
                "apiservices.apiregistration.k8s.io",
                FixtureCluster.load("apiservice-metrics-unavailable.json"));
    Rendered.Report r = Rendered.doctor("demo", down);
    assertThat(r.lines("missing", "metrics-server"))
        .singleElement()
        .asString()
        .contains(
            "APIService v1beta1.metrics.k8s.io: not Available (MissingEndpoints: endpointslices"
                + " for service/metrics-server in \"kube-system\" have no addresses with port name"
                + " \"https\")")
        .endsWith(
            "fix: kubectl -n kube-system logs deployment/metrics-server | grep -q x509 && kubectl"
                + " -n kube-system patch deployment metrics-server --type=json -p"
                + " '[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/args/-\","
                + "\"value\":\"--kubelet-insecure-tls\"}]'");
    assertThat(r.code()).isEqualTo(1);

    Rendered.Report absent =
        Rendered.doctor(
            "demo", FixtureCluster.healthy().set("apiservices.apiregistration.k8s.io", List.of()));
    assertThat(absent.lines("missing", "metrics-server"))
        .singleElement()
        .asString()
        .contains("not registered")
        .endsWith("fix: " + MetricsServerCheck.INSTALL);
  }

  /** Our objects that a Prometheus selects, as "Kind ns/name". */
  private static Set<String> monitoringObjects(String overlay) {
    Set<String> s = new TreeSet<>();
    for (JsonNode o : Rendered.overlay(overlay).objects()) {
      String kind = o.path("kind").asText();
      if (Set.of("ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe", "ScrapeConfig")
          .contains(kind)) {
        s.add(kind + " " + o.path("metadata").path("namespace").asText() + "/" + K8s.name(o));
      }
    }
    return s;
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theChartsPrometheusSelectsEveryMonitoringObjectOfOurs(String overlay) {
    Rendered.Report r = Rendered.doctor(overlay, FixtureCluster.healthy());
    assertThat(subjects(r.lines("ok", "prometheus"))).isEqualTo(monitoringObjects(overlay));
    assertThat(r.lines("ok", "prometheus"))
        .allMatch(
            l ->
                l.endsWith(
                    "selected by Prometheus monitoring/prometheus-kube-prometheus-prometheus"));
  }

  @Test
  void aReleaseNotNamedPrometheusGetsTheHintAndTheHelmFix() {
    FixtureCluster kps =
        FixtureCluster.healthy()
            .set(
                PrometheusSelectorCheck.PROMETHEUSES,
                FixtureCluster.load("prometheus-kps-88.5.3-release-kps.json"));
    Rendered.Report r = Rendered.doctor("demo", kps);
    assertThat(subjects(r.lines("missing", "prometheus"))).isEqualTo(monitoringObjects("demo"));
    assertThat(r.code()).isEqualTo(1);
    for (String l : r.lines("missing", "prometheus")) {
      String field =
          l.contains("PrometheusRule ")
              ? "rule"
              : l.contains("PodMonitor ") ? "podMonitor" : "serviceMonitor";
      assertThat(l)
          .contains(
              "Prometheus monitoring/kps-kube-prometheus-stack-prometheus selects "
                  + field
                  + "Selector release=kps: kube-prometheus-stack's default for release 'kps'"
                  + " (prometheus.prometheusSpec."
                  + field
                  + "SelectorNilUsesHelmValues=true); ours carry release=prometheus. Your release"
                  + " is named 'kps', not 'prometheus': either relabel ours to release=kps in your"
                  + " overlay (k8s/README.md, \"Another Helm release name\")")
          .endsWith(
              "fix: helm upgrade kps prometheus-community/kube-prometheus-stack -n monitoring"
                  + " --reuse-values --set prometheus.prometheusSpec."
                  + field
                  + "SelectorNilUsesHelmValues=false");
    }
  }

  private static FixtureCluster withPrometheus(java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode p = FixtureCluster.one("prometheus-kps-88.5.3.json");
    edit.accept((ObjectNode) p.path("spec"));
    return FixtureCluster.healthy().set(PrometheusSelectorCheck.PROMETHEUSES, List.of(p));
  }

  @Test
  void anEmptySelectorSelectsAndANullOneSelectsNothing() {
    Rendered.Report all =
        Rendered.doctor("demo", withPrometheus(s -> s.putObject("serviceMonitorSelector")));
    assertThat(all.lines("missing", "prometheus")).isEmpty();

    Rendered.Report none = Rendered.doctor("demo", withPrometheus(s -> s.remove("ruleSelector")));
    assertThat(none.lines("missing", "prometheus"))
        .singleElement()
        .asString()
        .contains("PrometheusRule surge/")
        .contains("selects ruleSelector nothing (null selector)")
        .endsWith(
            "fix: helm upgrade prometheus prometheus-community/kube-prometheus-stack -n"
                + " monitoring --reuse-values --set"
                + " prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues=false --set-json"
                + " 'prometheus.prometheusSpec.ruleSelector={}'");
  }

  @Test
  void aNullNamespaceSelectorSelectsOnlyThePrometheusNamespace() {
    Rendered.Report r =
        Rendered.doctor("demo", withPrometheus(s -> s.putNull("serviceMonitorNamespaceSelector")));
    assertThat(r.lines("missing", "prometheus"))
        .isNotEmpty()
        .allMatch(l -> l.contains("ServiceMonitor surge/"))
        .allMatch(
            l ->
                l.contains(
                    "has no serviceMonitorNamespaceSelector (null: only its own namespace"
                        + " monitoring), ours is in surge"))
        .allMatch(
            l ->
                l.endsWith(
                    "--reuse-values --set-json"
                        + " 'prometheus.prometheusSpec.serviceMonitorNamespaceSelector={}'"));
  }

  @Test
  void aNamespaceSelectorWithExpressionsNamesTheNamespaceLabelToAdd() {
    Rendered.Report r =
        Rendered.doctor(
            "demo",
            withPrometheus(
                s -> {
                  ObjectNode sel = s.putObject("podMonitorNamespaceSelector");
                  ArrayNode exprs = sel.putArray("matchExpressions");
                  exprs
                      .addObject()
                      .put("key", "monitoring")
                      .put("operator", "In")
                      .putArray("values")
                      .add("enabled");
                  exprs
                      .addObject()
                      .put("key", "kubernetes.io/metadata.name")
                      .put("operator", "NotIn")
                      .putArray("values")
                      .add("kube-system");
                }));
    List<String> missing = r.lines("missing", "prometheus");
    assertThat(missing).isNotEmpty().allMatch(l -> l.contains("PodMonitor surge/"));
    assertThat(missing.get(0))
        .contains(
            "selects podMonitorNamespaceSelector monitoring=enabled,"
                + " kubernetes.io/metadata.name notin (kube-system); namespace surge has no"
                + " monitoring, kubernetes.io/metadata.name=surge")
        .endsWith("fix: kubectl label namespace surge monitoring=enabled --overwrite");
  }

  @Test
  void aSelectorOnALabelWeDoNotSetIsFixedByLabellingOurObject() {
    Rendered.Report r =
        Rendered.doctor(
            "demo",
            withPrometheus(
                s ->
                    s.putObject("serviceMonitorSelector")
                        .putObject("matchLabels")
                        .put("prometheus", "main")));
    for (String l : r.lines("missing", "prometheus")) {
      String name = l.substring(l.indexOf("ServiceMonitor surge/") + 21, l.indexOf(": "));
      assertThat(l)
          .endsWith(
              "fix: kubectl -n surge label servicemonitors.monitoring.coreos.com "
                  + name
                  + " prometheus=main --overwrite")
          .doesNotContain("reverts");
    }
    assertThat(r.lines("missing", "prometheus")).isNotEmpty();
  }

  @Test
  void noPrometheusAtAllIsOneLine() {
    Rendered.Report r =
        Rendered.doctor(
            "demo", FixtureCluster.healthy().set(PrometheusSelectorCheck.PROMETHEUSES, List.of()));
    assertThat(r.lines("missing", "prometheus"))
        .singleElement()
        .asString()
        .contains("no Prometheus custom resource in the cluster")
        .endsWith(KubePrometheusStack.INSTALL);
  }

  private static List<String> dashboardConfigMaps(String overlay) {
    List<String> names = new ArrayList<>();
    for (JsonNode cm : Rendered.overlay(overlay).ofKind("ConfigMap")) {
      List<String> keys = new ArrayList<>();
      cm.path("data").fieldNames().forEachRemaining(keys::add);
      if (keys.stream().anyMatch(k -> k.endsWith(".json"))) {
        names.add(K8s.name(cm));
      }
    }
    return names;
  }

  private static FixtureCluster withGrafana(java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode g = FixtureCluster.one("grafana-deployment-kps-88.5.3.json");
    edit.accept(g);
    return FixtureCluster.healthy().set("deployments.apps", List.of(g));
  }

  private static ArrayNode sidecarEnv(ObjectNode grafana) {
    for (JsonNode c : grafana.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals("grafana-sc-dashboard")) {
        return (ArrayNode) c.path("env");
      }
    }
    throw new AssertionError("no grafana-sc-dashboard in the fixture");
  }

  private static void setEnv(ObjectNode grafana, String name, String value) {
    ArrayNode env = sidecarEnv(grafana);
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).path("name").asText().equals(name)) {
        if (value == null) {
          env.remove(i);
        } else {
          ((ObjectNode) env.get(i)).put("value", value);
        }
        return;
      }
    }
    env.addObject().put("name", name).put("value", value);
  }

  @Test
  void theChartsGrafanaSidecarLoadsOurDashboards() {
    List<String> cms = dashboardConfigMaps("demo");
    assertThat(cms).isNotEmpty();
    Rendered.Report r = Rendered.doctor("demo", FixtureCluster.healthy());
    assertThat(r.lines("ok", "grafana"))
        .containsExactly(
            "ok       grafana        "
                + cms.size()
                + " dashboard ConfigMaps: loaded by Grafana monitoring/prometheus-grafana's"
                + " sidecar (label grafana_dashboard=1 in ALL)");
  }

  @Test
  void anotherLabelValueNamesOurConfigMapsAndTheLabelCommand() {
    List<String> cms = dashboardConfigMaps("demo");
    Rendered.Report r = Rendered.doctor("demo", withGrafana(g -> setEnv(g, "LABEL_VALUE", "true")));
    assertThat(r.lines("missing", "grafana"))
        .singleElement()
        .asString()
        .contains("watches label grafana_dashboard=true in ALL; " + String.join(", ", cms))
        .contains("the next kubectl apply -k reverts this label")
        .endsWith(
            "fix: kubectl -n monitoring label configmap "
                + String.join(" ", cms)
                + " grafana_dashboard=true --overwrite");
  }

  @Test
  void aSidecarWithoutNamespaceWatchesOnlyGrafanasOwn() {
    Rendered.Report own = Rendered.doctor("demo", withGrafana(g -> setEnv(g, "NAMESPACE", null)));
    assertThat(own.lines("ok", "grafana"))
        .singleElement()
        .asString()
        .contains("in its own namespace monitoring");

    Rendered.Report elsewhere =
        Rendered.doctor(
            "demo",
            withGrafana(
                g -> {
                  setEnv(g, "NAMESPACE", null);
                  ((ObjectNode) g.path("metadata")).put("namespace", "grafana");
                }));
    assertThat(elsewhere.lines("missing", "grafana"))
        .singleElement()
        .asString()
        .contains("watches label grafana_dashboard=1 in its own namespace grafana; monitoring/")
        .endsWith(
            "fix: helm upgrade prometheus prometheus-community/kube-prometheus-stack -n"
                + " monitoring --reuse-values --set grafana.sidecar.dashboards.searchNamespace=ALL");
  }

  @Test
  void noDashboardSidecarAskForIt() {
    Rendered.Report r =
        Rendered.doctor(
            "demo",
            withGrafana(
                g -> {
                  ArrayNode containers =
                      (ArrayNode) g.path("spec").path("template").path("spec").path("containers");
                  containers.remove(0);
                }));
    assertThat(r.lines("missing", "grafana"))
        .singleElement()
        .asString()
        .contains("runs no dashboard sidecar")
        .endsWith("--reuse-values --set grafana.sidecar.dashboards.enabled=true");
  }

  @Test
  void theShippedAlertmanagerSelectsOurConfigAndAnotherReleaseDoesNot() {
    assertThat(Rendered.overlay("full").ofKind("AlertmanagerConfig")).isNotEmpty();
    Rendered.Report ok = Rendered.doctor("full", FixtureCluster.healthy());
    assertThat(ok.lines("ok", "alertmanager"))
        .hasSize(Rendered.overlay("full").ofKind("AlertmanagerConfig").size())
        .allMatch(
            l ->
                l.endsWith(
                    "selected by Alertmanager monitoring/prometheus-kube-prometheus-alertmanager"));

    ObjectNode am = FixtureCluster.one("alertmanager-kps-88.5.3.json");
    ((ObjectNode) am.path("spec"))
        .putObject("alertmanagerConfigSelector")
        .putObject("matchLabels")
        .put("release", "kps");
    Rendered.Report kps =
        Rendered.doctor(
            "full",
            FixtureCluster.healthy().set(AlertmanagerConfigCheck.ALERTMANAGERS, List.of(am)));
    for (String l : kps.lines("missing", "alertmanager")) {
      assertThat(l)
          .contains("selects alertmanagerConfigSelector release=kps; ours has release=prometheus")
          .contains("the next kubectl apply -k reverts this label")
          .contains("fix: kubectl -n surge label alertmanagerconfigs.monitoring.coreos.com ")
          .endsWith(" release=kps --overwrite");
    }
    assertThat(kps.lines("missing", "alertmanager")).isNotEmpty();

    ObjectNode ownNs = FixtureCluster.one("alertmanager-kps-88.5.3.json");
    ((ObjectNode) ownNs.path("spec")).putNull("alertmanagerConfigNamespaceSelector");
    Rendered.Report own =
        Rendered.doctor(
            "full",
            FixtureCluster.healthy().set(AlertmanagerConfigCheck.ALERTMANAGERS, List.of(ownNs)));
    assertThat(own.lines("missing", "alertmanager"))
        .isNotEmpty()
        .allMatch(
            l ->
                l.endsWith(
                    "--set-json 'alertmanager.alertmanagerSpec.alertmanagerConfigNamespaceSelector={}'"));
  }

  /**
   * "ns/name" of every Secret the rendered overlay's pods mount or its AlertmanagerConfigs read;
   * with {@code required}, only those some ref does not mark {@code optional: true}.
   */
  private static Set<String> secretsOf(String overlay, boolean required) {
    Set<String> s = new TreeSet<>();
    Overlay o = Rendered.overlay(overlay);
    for (JsonNode obj : o.objects()) {
      String ns = o.namespaceOf(obj);
      for (JsonNode ref : obj.findParents("secretName")) {
        if (!required || !ref.path("optional").asBoolean(false)) {
          s.add(ns + "/" + ref.path("secretName").asText());
        }
      }
      for (JsonNode ref : obj.findValues("secretKeyRef")) {
        if (!required || !ref.path("optional").asBoolean(false)) {
          s.add(ns + "/" + ref.path("name").asText());
        }
      }
      if (K8s.kind(obj).equals("AlertmanagerConfig")) {
        obj.path("spec")
            .path("receivers")
            .findParents("key")
            .forEach(v -> s.add(ns + "/" + v.path("name").asText()));
      }
    }
    return s;
  }

  private static Set<String> subjectsOf(Set<String> secrets) {
    Set<String> out = new TreeSet<>();
    secrets.forEach(s -> out.add("Secret " + s));
    return out;
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everySecretTheOverlayReadsIsCheckedAndMissingOnesGetACreateCommand(String overlay) {
    Rendered.Report ok = Rendered.doctor(overlay, FixtureCluster.healthy());
    assertThat(subjects(ok.lines("ok", "secret"))).isEqualTo(subjectsOf(secretsOf(overlay, false)));

    Rendered.Report none =
        Rendered.doctor(overlay, FixtureCluster.healthy().set("secrets", List.of()));
    Set<String> required = subjectsOf(secretsOf(overlay, true));
    assertThat(subjects(none.lines("missing", "secret"))).isEqualTo(required);
    assertThat(none.code()).isEqualTo(required.isEmpty() ? 0 : 1);
    for (String l : none.lines("missing", "secret")) {
      String ref = l.substring(l.indexOf("Secret ") + 7, l.indexOf(": "));
      String[] nsName = ref.split("/");
      assertThat(l)
          .contains(": does not exist; needed by ")
          .contains("fix: kubectl -n " + nsName[0] + " create secret generic " + nsName[1] + " ");
    }
    for (String l : none.lines("ok", "secret")) {
      assertThat(l).contains(": absent, and optional: ").contains("; to use it: kubectl -n ");
    }
  }

  @Test
  void theOptionalAdminTokenIsOkAbsentAndSaysHowToMakeIt() {
    Rendered.Report none =
        Rendered.doctor("demo", FixtureCluster.healthy().set("secrets", List.of()));
    assertThat(none.lines("ok", "secret"))
        .filteredOn(l -> l.contains("Secret surge/surge-admin-token:"))
        .singleElement()
        .asString()
        .endsWith(
            ": absent, and optional: Deployment surge starts without it; to use it: kubectl -n"
                + " surge create secret generic surge-admin-token"
                + " --from-literal=token=\"$(openssl rand -hex 32)\"");
  }

  @Test
  void aSecretWithoutAKeyTheAlertmanagerConfigReadsIsPatched() {
    List<JsonNode> secrets = FixtureCluster.load("secrets-surge.json");
    ((ObjectNode) secrets.get(1).path("data")).remove("slack-webhook-url");
    Rendered.Report lacking =
        Rendered.doctor("full", FixtureCluster.healthy().set("secrets", secrets));
    assertThat(lacking.lines("missing", "secret"))
        .singleElement()
        .asString()
        .contains(
            "Secret surge/surge-alertmanager: has no key slack-webhook-url; needed by"
                + " AlertmanagerConfig surge")
        .endsWith(
            "fix: kubectl -n surge patch secret surge-alertmanager --type merge -p"
                + " '{\"stringData\":{\"slack-webhook-url\":\"<slack-webhook-url>\"}}'");

    Rendered.Report none =
        Rendered.doctor("full", FixtureCluster.healthy().set("secrets", List.of()));
    assertThat(none.lines("missing", "secret"))
        .singleElement()
        .asString()
        .endsWith(
            "fix: kubectl -n surge create secret generic surge-alertmanager"
                + " --from-literal=pagerduty-routing-key='<pagerduty-routing-key>'"
                + " --from-literal=slack-webhook-url='<slack-webhook-url>'");
  }

  @Test
  void aPodThatCannotPullItsImageIsNamedWithTheRegistrysError() {
    FixtureCluster cluster =
        FixtureCluster.healthy()
            .add("pods", FixtureCluster.load("pods-image-pull-backoff.json"))
            .add("events", FixtureCluster.load("events-image-pull.json"));
    Rendered.Report r = Rendered.doctor("demo", cluster);
    assertThat(r.lines("missing", "image"))
        .singleElement()
        .asString()
        .startsWith(
            "missing  image          image ghcr.io/surge-dev/surge-app:0.1.0: cannot be pulled"
                + " by pod surge-6d9c7b8f5d-x7k2p in surge: Failed to pull image"
                + " \"ghcr.io/surge-dev/surge-app:0.1.0\": failed to pull and unpack image")
        .contains("401 Unauthorized")
        .contains(
            "fix: ./mvnw -B -q -DskipTests -Pimage-tar package && kind load image-archive"
                + " app/target/surge-app-image.tar --name <kind cluster>");
    // the loadgen pod's pull failed an hour ago but it runs now: that old event is no finding
    assertThat(r.out()).doesNotContain("image ghcr.io/surge-dev/surge-loadgen");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void anUnreachableServerIsOneLineAndNothingElse() {
    Rendered.Report r =
        Rendered.doctor(
            "demo",
            FixtureCluster.healthy()
                .unreachable(
                    "Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection"
                        + " refused"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "missing  cluster        context kind-surge: cannot reach the API server: Unable to"
                + " connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused;"
                + " nothing else checked  fix: kubectl --context kind-surge cluster-info\n");
  }

  @Test
  void aForbiddenReadIsReportedAndTheOtherChecksStillRun() {
    Rendered.Report r =
        Rendered.doctor(
            "demo",
            FixtureCluster.healthy()
                .failing(
                    "secrets",
                    "Error from server (Forbidden): secrets \"surge-admin-token\" is forbidden:"
                        + " User \"dev\" cannot get resource \"secrets\" in API group \"\" in the"
                        + " namespace \"surge\""));
    assertThat(r.lines("missing", "secret"))
        .singleElement()
        .asString()
        .contains("read secrets: cannot read: Error from server (Forbidden)")
        .endsWith(
            "fix: kubectl --context kind-surge auth can-i list secrets --all-namespaces # then"
                + " rerun with a user that can");
    assertThat(r.lines("ok", "prometheus")).isNotEmpty();
    assertThat(r.code()).isEqualTo(1);
  }
}
