package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.common.Quantities;
import dev.surge.systest.support.Kustomize;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered objects fit together and follow the contract: selectors match pod labels, port names
 * exist where they are referenced, the quota fits the HPA at max, every pod meets PSS restricted,
 * the HPA is tuned for JVM start-up, drain timing fits the grace period.
 */
class K8sWiringIT {
  @Test
  void appPodsCarryTheContractLabelsAndEverySelectorMatchesThem() {
    List<ObjectNode> demo = Manifests.demo();
    ObjectNode deployment = Kustomize.one(demo, "Deployment", "surge");
    JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
    assertThat(toMap(podLabels)).containsAllEntriesOf(Manifests.APP_POD_LABELS);
    assertSelects(
        "Deployment selector",
        deployment.path("spec").path("selector").path("matchLabels"),
        podLabels);
    assertSelects(
        "Service selector",
        Kustomize.one(demo, "Service", "surge").path("spec").path("selector"),
        podLabels);
    assertSelects(
        "PDB",
        Kustomize.one(demo, "PodDisruptionBudget", "surge")
            .path("spec")
            .path("selector")
            .path("matchLabels"),
        podLabels);
    assertSelects(
        "NetworkPolicy",
        Kustomize.one(demo, "NetworkPolicy", "surge")
            .path("spec")
            .path("podSelector")
            .path("matchLabels"),
        podLabels);
    for (JsonNode tsc : Manifests.podSpec(deployment).path("topologySpreadConstraints")) {
      assertSelects(
          "topologySpreadConstraint", tsc.path("labelSelector").path("matchLabels"), podLabels);
    }
    // the Service's labels are what the ServiceMonitor selects
    assertSelects(
        "ServiceMonitor selector",
        Kustomize.one(demo, "ServiceMonitor", "surge")
            .path("spec")
            .path("selector")
            .path("matchLabels"),
        Kustomize.one(demo, "Service", "surge").path("metadata").path("labels"));
  }

  @Test
  void loadgenPodsCarryTheContractLabelsAndThePodMonitorAndNetworkPolicySelectThem() {
    List<ObjectNode> demo = Manifests.demo();
    ObjectNode job = Kustomize.one(demo, "Job", "surge-loadgen");
    JsonNode podLabels = job.path("spec").path("template").path("metadata").path("labels");
    assertThat(toMap(podLabels)).containsAllEntriesOf(Manifests.LOADGEN_POD_LABELS);
    assertSelects(
        "PodMonitor",
        Kustomize.one(demo, "PodMonitor", "surge-loadgen")
            .path("spec")
            .path("selector")
            .path("matchLabels"),
        podLabels);
    assertSelects(
        "NetworkPolicy",
        Kustomize.one(demo, "NetworkPolicy", "surge-loadgen")
            .path("spec")
            .path("podSelector")
            .path("matchLabels"),
        podLabels);
    // and the app's selectors do not pick up load-generator pods
    JsonNode appSelector = Kustomize.one(demo, "Service", "surge").path("spec").path("selector");
    assertThat(selects(appSelector, podLabels))
        .as("the app Service selects loadgen pods")
        .isFalse();
  }

  @Test
  void prometheusJobLabelsAreTheContracts() {
    // ServiceMonitor without jobLabel: job = the Service's name
    ObjectNode sm = Kustomize.one(Manifests.demo(), "ServiceMonitor", "surge");
    assertThat(sm.path("spec").has("jobLabel")).isFalse();
    assertThat(
            Kustomize.one(Manifests.demo(), "Service", "surge")
                .path("metadata")
                .path("name")
                .asText())
        .isEqualTo("surge");
    // PodMonitor: job = the value of the pod label named by jobLabel
    ObjectNode pm = Kustomize.one(Manifests.demo(), "PodMonitor", "surge-loadgen");
    String jobLabel = pm.path("spec").path("jobLabel").asText();
    JsonNode podLabels =
        Kustomize.one(Manifests.demo(), "Job", "surge-loadgen")
            .path("spec")
            .path("template")
            .path("metadata")
            .path("labels");
    assertThat(podLabels.path(jobLabel).asText())
        .as("job label of the load generator")
        .isEqualTo("surge-loadgen");
  }

  @Test
  void autoscalersTargetTheDeployment() {
    assertThat(
            Kustomize.one(Manifests.demo(), "HorizontalPodAutoscaler", "surge")
                .path("spec")
                .path("scaleTargetRef")
                .path("name")
                .asText())
        .isEqualTo("surge");
    assertThat(
            Kustomize.one(Manifests.full(), "VerticalPodAutoscaler", "surge")
                .path("spec")
                .path("targetRef")
                .path("name")
                .asText())
        .isEqualTo("surge");
    assertThat(
            Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
                .path("spec")
                .path("scaleTargetRef")
                .path("name")
                .asText())
        .isEqualTo("surge");
  }

  @Test
  void portNamesExistWhereTheyAreReferencedWithTheContractNumbers() {
    List<ObjectNode> demo = Manifests.demo();
    ObjectNode deployment = Kustomize.one(demo, "Deployment", "surge");
    Map<String, Integer> appPorts = containerPorts(Manifests.container(deployment, "app"));
    assertThat(appPorts).containsExactlyInAnyOrderEntriesOf(Map.of("http", 8080, "metrics", 8081));

    Map<String, Integer> servicePorts = new HashMap<>();
    for (JsonNode p : Kustomize.one(demo, "Service", "surge").path("spec").path("ports")) {
      servicePorts.put(p.path("name").asText(), p.path("port").asInt());
      assertThat(appPorts).as("Service targetPort").containsKey(p.path("targetPort").asText());
    }
    for (JsonNode e :
        Kustomize.one(demo, "ServiceMonitor", "surge").path("spec").path("endpoints")) {
      assertThat(servicePorts).as("ServiceMonitor port").containsKey(e.path("port").asText());
      assertThat(e.path("port").asText()).isEqualTo("metrics");
      assertThat(e.path("path").asText()).isEqualTo("/metrics");
      assertThat(e.path("interval").asText()).isNotBlank();
    }
    for (JsonNode rule :
        Kustomize.one(demo, "NetworkPolicy", "surge").path("spec").path("ingress")) {
      rule.path("ports")
          .forEach(
              p ->
                  assertThat(appPorts)
                      .as("NetworkPolicy port")
                      .containsKey(p.path("port").asText()));
    }

    ObjectNode job = Kustomize.one(demo, "Job", "surge-loadgen");
    Map<String, Integer> loadgenPorts = containerPorts(Manifests.container(job, "loadgen"));
    assertThat(loadgenPorts).containsExactly(Map.entry("metrics", 8082));
    for (JsonNode e :
        Kustomize.one(demo, "PodMonitor", "surge-loadgen")
            .path("spec")
            .path("podMetricsEndpoints")) {
      assertThat(loadgenPorts).as("PodMonitor port").containsKey(e.path("port").asText());
    }
    for (JsonNode rule :
        Kustomize.one(demo, "NetworkPolicy", "surge-loadgen").path("spec").path("ingress")) {
      rule.path("ports")
          .forEach(
              p ->
                  assertThat(loadgenPorts)
                      .as("NetworkPolicy port")
                      .containsKey(p.path("port").asText()));
    }
  }

  @Test
  void metricsPortsAreReachableOnlyFromTheMonitoringNamespace() {
    for (String name : List.of("surge", "surge-loadgen")) {
      ObjectNode np = Kustomize.one(Manifests.demo(), "NetworkPolicy", name);
      assertThat(np.path("spec").path("policyTypes").toString()).contains("Ingress");
      for (JsonNode rule : np.path("spec").path("ingress")) {
        boolean metrics = rule.path("ports").toString().contains("\"metrics\"");
        if (metrics && name.equals("surge-loadgen") && isLoadgenShardRule(rule)) {
          continue; // the shards' rendezvous with shard 0: loadgenShardsReachShardZero... below
        }
        if (metrics) {
          assertThat(rule.path("from")).hasSize(1);
          assertThat(
                  rule.path("from")
                      .get(0)
                      .path("namespaceSelector")
                      .path("matchLabels")
                      .path("kubernetes.io/metadata.name")
                      .asText())
              .as(name)
              .isEqualTo("monitoring");
          assertThat(rule.path("from").get(0).has("podSelector")).isFalse();
        }
      }
    }
  }

  /** A rule that admits the load generator's own pods (same namespace) and nothing else. */
  private static boolean isLoadgenShardRule(JsonNode rule) {
    JsonNode from = rule.path("from");
    return from.size() == 1
        && from.get(0).has("podSelector")
        && !from.get(0).has("namespaceSelector")
        && toMap(from.get(0).path("podSelector").path("matchLabels"))
            .getOrDefault("app.kubernetes.io/name", "")
            .equals("surge-loadgen");
  }

  @Test
  void loadgenShardsReachShardZeroThroughTheHeadlessServiceOnTheMetricsPortOnly() {
    List<ObjectNode> demo = Manifests.demo();
    ObjectNode job = Kustomize.one(demo, "Job", "surge-loadgen");
    JsonNode pod = Manifests.podSpec(job);
    JsonNode podLabels = job.path("spec").path("template").path("metadata").path("labels");
    JsonNode container = Manifests.container(job, "loadgen");
    List<String> args = args(container);
    ObjectNode service = Kustomize.one(demo, "Service", "surge-loadgen");
    // headless, selecting the shards, named as the pods' subdomain and as --peers-subdomain
    assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
    assertSelects("loadgen Service", service.path("spec").path("selector"), podLabels);
    assertThat(pod.path("subdomain").asText()).isEqualTo("surge-loadgen");
    assertThat(flag(args, "--peers-subdomain")).isEqualTo(pod.path("subdomain").asText());
    // the coordinator's endpoints are on the metrics port: the Service's only port
    int metricsPort = Integer.parseInt(flag(args, "--metrics-port"));
    assertThat(service.path("spec").path("ports")).hasSize(1);
    JsonNode port = service.path("spec").path("ports").get(0);
    assertThat(port.path("port").asInt()).isEqualTo(metricsPort);
    assertThat(containerPorts(container))
        .containsEntry(port.path("targetPort").asText(), metricsPort);
    // the NetworkPolicy admits the shards to each other on that port and on no other
    ObjectNode np = Kustomize.one(demo, "NetworkPolicy", "surge-loadgen");
    List<JsonNode> shardRules = new ArrayList<>();
    np.path("spec")
        .path("ingress")
        .forEach(
            r -> {
              if (isLoadgenShardRule(r)) {
                shardRules.add(r);
              }
            });
    assertThat(shardRules).as("a rule admitting the other shards").hasSize(1);
    JsonNode rule = shardRules.get(0);
    assertSelects(
        "shard-to-shard rule",
        rule.path("from").get(0).path("podSelector").path("matchLabels"),
        podLabels);
    assertThat(rule.path("ports")).hasSize(1);
    assertThat(rule.path("ports").get(0).path("port").asText()).isEqualTo("metrics");
    // the merged result goes to an emptyDir (the root filesystem is read-only)
    String out = flag(args, "--out");
    String mount = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (out.startsWith(m.path("mountPath").asText() + "/")) {
        mount = m.path("name").asText();
      }
    }
    assertThat(mount).as("a volume mounted above --out %s", out).isNotNull();
    boolean emptyDir = false;
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(mount)) {
        emptyDir = v.has("emptyDir");
      }
    }
    assertThat(emptyDir).as("volume %s is an emptyDir", mount).isTrue();
  }

  @Test
  void monitoringObjectsCarryTheReleaseLabelOfTheContract() {
    for (String kind :
        List.of("ServiceMonitor", "PodMonitor", "PrometheusRule", "AlertmanagerConfig")) {
      for (ObjectNode o : Kustomize.ofKind(Manifests.demo(), kind)) {
        assertThat(o.path("metadata").path("labels").path("release").asText())
            .as(Kustomize.id(o))
            .isEqualTo("prometheus");
      }
    }
  }

  @Test
  void imagesAndJvmFlagsFollowTheContract() {
    ObjectNode deployment = Kustomize.one(Manifests.demo(), "Deployment", "surge");
    ObjectNode job = Kustomize.one(Manifests.demo(), "Job", "surge-loadgen");
    JsonNode app = Manifests.container(deployment, "app");
    JsonNode loadgen = Manifests.container(job, "loadgen");
    assertThat(app.path("image").asText()).isEqualTo("ghcr.io/surge-dev/surge-app:0.1.0");
    assertThat(loadgen.path("image").asText()).isEqualTo("ghcr.io/surge-dev/surge-loadgen:0.1.0");
    for (JsonNode c : List.of(app, loadgen)) {
      assertThat(env(c))
          .containsEntry(
              "JAVA_TOOL_OPTIONS",
              "-XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError");
      // the heap is a share of the memory limit: request = limit, no CPU limit (throttling
      // stretches JVM start-up)
      assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("512Mi");
      assertThat(c.path("resources").path("requests").path("memory").asText()).isEqualTo("512Mi");
      assertThat(c.path("resources").path("limits").has("cpu")).isFalse();
      assertThat(c.path("resources").path("requests").has("cpu")).isTrue();
    }
  }

  @Test
  void drainDelayAndShutdownTimeoutFitTheTerminationGracePeriod() {
    ObjectNode deployment = Kustomize.one(Manifests.demo(), "Deployment", "surge");
    List<String> args = args(Manifests.container(deployment, "app"));
    Duration drain = duration(flag(args, "--drain-delay"));
    Duration shutdown = duration(flag(args, "--shutdown-timeout"));
    long grace = Manifests.podSpec(deployment).path("terminationGracePeriodSeconds").asLong();
    assertThat(drain.plus(shutdown)).isLessThan(Duration.ofSeconds(grace));
    // the drain delay is what covers endpoint propagation: it must be there, and no preStop hook
    // doubles it
    assertThat(drain).isPositive();
    assertThat(
            Manifests.container(deployment, "app")
                .path("lifecycle")
                .path("preStop")
                .isMissingNode())
        .isTrue();
  }

  @Test
  void rollingUpdateNeverDropsCapacityAndReplicasAreSpread() {
    ObjectNode deployment = Kustomize.one(Manifests.demo(), "Deployment", "surge");
    assertThat(
            deployment
                .path("spec")
                .path("strategy")
                .path("rollingUpdate")
                .path("maxUnavailable")
                .asInt(-1))
        .isZero();
    assertThat(deployment.path("spec").has("replicas")).as("replicas left to the HPA").isFalse();
    List<String> keys = new ArrayList<>();
    Manifests.podSpec(deployment)
        .path("topologySpreadConstraints")
        .forEach(t -> keys.add(t.path("topologyKey").asText()));
    assertThat(keys).contains("kubernetes.io/hostname");
  }

  @Test
  void hpaIsTunedSoThatJvmStartUpDoesNotScaleOut() {
    ObjectNode deployment = Kustomize.one(Manifests.demo(), "Deployment", "surge");
    JsonNode app = Manifests.container(deployment, "app");
    // start-up CPU lands while the pod is unready (startupProbe gates readiness), which the HPA
    // sets aside
    assertThat(app.path("startupProbe").path("httpGet").path("path").asText()).isNotBlank();
    assertThat(app.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(app.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(app.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
    }
    JsonNode startup = app.path("startupProbe");
    assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
        .as("seconds the startupProbe allows for JVM start-up")
        .isGreaterThanOrEqualTo(30);
    for (JsonNode behavior :
        List.of(
            Kustomize.one(Manifests.base(), "HorizontalPodAutoscaler", "surge")
                .path("spec")
                .path("behavior"),
            Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
                .path("spec")
                .path("advanced")
                .path("horizontalPodAutoscalerConfig")
                .path("behavior"))) {
      assertThat(behavior.path("scaleUp").path("stabilizationWindowSeconds").asInt())
          .isGreaterThanOrEqualTo(30);
      assertThat(behavior.path("scaleUp").path("policies")).isNotEmpty();
      assertThat(behavior.path("scaleDown").path("stabilizationWindowSeconds").asInt())
          .isGreaterThanOrEqualTo(300);
      assertThat(behavior.path("scaleDown").path("policies")).isNotEmpty();
    }
    assertThat(
            Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
                .path("spec")
                .path("advanced")
                .path("horizontalPodAutoscalerConfig")
                .path("behavior"))
        .isEqualTo(
            Kustomize.one(Manifests.base(), "HorizontalPodAutoscaler", "surge")
                .path("spec")
                .path("behavior"));
    JsonNode cpu =
        Kustomize.one(Manifests.base(), "HorizontalPodAutoscaler", "surge")
            .path("spec")
            .path("metrics")
            .get(0);
    assertThat(cpu.path("resource").path("name").asText()).isEqualTo("cpu");
    assertThat(cpu.path("resource").path("target").path("type").asText()).isEqualTo("Utilization");
  }

  @Test
  void vpaOnlyRecommends() {
    JsonNode vpa = Kustomize.one(Manifests.full(), "VerticalPodAutoscaler", "surge");
    assertThat(vpa.path("spec").path("updatePolicy").path("updateMode").asText()).isEqualTo("Off");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.surge.systest.k8s.Manifests#overlays")
  void quotaFitsTheHpaAtMaxReplicasPlusTheRollingUpdateSurgePlusTheLoadGenerator(Path overlay) {
    List<ObjectNode> objects = Manifests.render(overlay);
    ObjectNode deployment = Kustomize.one(objects, "Deployment", "surge");
    int maxReplicas =
        Kustomize.find(objects, "HorizontalPodAutoscaler", "surge")
            .map(h -> h.path("spec").path("maxReplicas").asInt())
            .orElseGet(
                () ->
                    Kustomize.one(objects, "ScaledObject", "surge")
                        .path("spec")
                        .path("maxReplicaCount")
                        .asInt());
    int maxSurge =
        surge(
            deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"),
            maxReplicas);
    ObjectNode job = Kustomize.one(objects, "Job", "surge-loadgen");
    int loadgenPods = job.path("spec").path("parallelism").asInt();
    int appPods = maxReplicas + maxSurge;

    Map<String, BigDecimal> need = new HashMap<>();
    add(need, podResources(deployment), appPods);
    add(need, podResources(job), loadgenPods);
    need.put("pods", BigDecimal.valueOf(appPods + loadgenPods));

    JsonNode hard = Kustomize.one(objects, "ResourceQuota", "surge").path("spec").path("hard");
    assertThat(hard.has("limits.cpu"))
        .as("a limits.cpu quota would force CPU limits on every pod")
        .isFalse();
    hard.properties()
        .forEach(
            e -> {
              BigDecimal quota = Quantities.value(e.getValue().asText());
              BigDecimal needed = need.getOrDefault(e.getKey(), BigDecimal.ZERO);
              assertThat(needed)
                  .as(
                      "%s: need %s at max (%d app + %d loadgen pods)",
                      e.getKey(), needed, appPods, loadgenPods)
                  .isLessThanOrEqualTo(quota);
              // sized for the peak, not arbitrary: within 1.5x of what the peak needs
              assertThat(quota)
                  .as("%s quota %s for a need of %s", e.getKey(), quota, needed)
                  .isLessThanOrEqualTo(needed.multiply(new BigDecimal("1.5")));
            });
    assertThat(Set.of("pods", "requests.cpu", "requests.memory", "limits.memory"))
        .allSatisfy(k -> assertThat(hard.has(k)).as(k).isTrue());
  }

  @Test
  void limitRangeNeverImposesACpuLimitAndAdmitsEveryContainer() {
    JsonNode limits =
        Kustomize.one(Manifests.demo(), "LimitRange", "surge").path("spec").path("limits").get(0);
    assertThat(limits.path("default").has("cpu")).isFalse();
    assertThat(limits.path("max").has("cpu")).isFalse();
    BigDecimal maxMemory = Quantities.value(limits.path("max").path("memory").asText());
    for (ObjectNode w : workloads(Manifests.demo())) {
      for (JsonNode c : Manifests.podSpec(w).path("containers")) {
        assertThat(Quantities.value(c.path("resources").path("limits").path("memory").asText()))
            .isLessThanOrEqualTo(maxMemory);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.surge.systest.k8s.Manifests#overlays")
  void everyPodSpecMeetsPodSecurityStandardsRestricted(Path overlay) {
    List<ObjectNode> objects = Manifests.render(overlay);
    JsonNode ns = Kustomize.one(objects, "Namespace", "surge").path("metadata").path("labels");
    assertThat(ns.path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
    List<ObjectNode> workloads = workloads(objects);
    assertThat(workloads).hasSizeGreaterThanOrEqualTo(2);
    for (ObjectNode w : workloads) {
      String id = Kustomize.id(w);
      JsonNode pod = Manifests.podSpec(w);
      for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
        assertThat(pod.path(host).asBoolean(false)).as("%s %s", id, host).isFalse();
      }
      assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
          .as("%s token", id)
          .isFalse();
      for (JsonNode v : pod.path("volumes")) {
        List<String> types = new ArrayList<>();
        v.fieldNames().forEachRemaining(types::add);
        types.remove("name");
        assertThat(types)
            .as("%s volume %s", id, v.path("name").asText())
            .isSubsetOf(
                "emptyDir",
                "configMap",
                "secret",
                "projected",
                "downwardAPI",
                "persistentVolumeClaim",
                "ephemeral",
                "csi");
      }
      JsonNode podSc = pod.path("securityContext");
      // baseline, which restricted includes: no sysctls, no custom SELinux type, AppArmor/proc
      // mount at defaults
      assertThat(podSc.path("sysctls").isEmpty()).as("%s sysctls", id).isTrue();
      assertThat(podSc.path("seLinuxOptions").has("type")).as("%s SELinux type", id).isFalse();
      assertThat(podSc.path("windowsOptions").path("hostProcess").asBoolean(false))
          .as("%s hostProcess", id)
          .isFalse();
      List<JsonNode> containers = new ArrayList<>();
      pod.path("containers").forEach(containers::add);
      pod.path("initContainers").forEach(containers::add);
      for (JsonNode c : containers) {
        String cid = id + " container " + c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("privileged").asBoolean(false)).as(cid).isFalse();
        assertThat(
                sc.path("allowPrivilegeEscalation").isBoolean()
                    && !sc.path("allowPrivilegeEscalation").asBoolean())
            .as("%s allowPrivilegeEscalation false", cid)
            .isTrue();
        assertThat(sc.path("capabilities").path("drop").toString())
            .as("%s drops ALL", cid)
            .contains("\"ALL\"");
        List<String> added = new ArrayList<>();
        sc.path("capabilities").path("add").forEach(a -> added.add(a.asText()));
        assertThat(added).as(cid).isSubsetOf("NET_BIND_SERVICE");
        boolean nonRoot =
            sc.has("runAsNonRoot")
                ? sc.path("runAsNonRoot").asBoolean()
                : podSc.path("runAsNonRoot").asBoolean(false);
        assertThat(nonRoot).as("%s runAsNonRoot", cid).isTrue();
        long uid =
            sc.has("runAsUser")
                ? sc.path("runAsUser").asLong()
                : podSc.path("runAsUser").asLong(-1);
        assertThat(uid).as("%s fixed non-root uid (the image's USER)", cid).isEqualTo(10001L);
        String seccomp =
            sc.has("seccompProfile")
                ? sc.path("seccompProfile").path("type").asText()
                : podSc.path("seccompProfile").path("type").asText();
        assertThat(seccomp).as("%s seccomp", cid).isIn("RuntimeDefault", "Localhost");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false))
            .as("%s read-only root", cid)
            .isTrue();
        c.path("ports")
            .forEach(p -> assertThat(p.has("hostPort")).as("%s hostPort", cid).isFalse());
        assertThat(sc.path("procMount").asText("Default"))
            .as("%s procMount", cid)
            .isEqualTo("Default");
        assertThat(sc.path("seLinuxOptions").has("type")).as("%s SELinux type", cid).isFalse();
        assertThat(sc.path("appArmorProfile").path("type").asText("RuntimeDefault"))
            .as("%s AppArmor", cid)
            .isIn("RuntimeDefault", "Localhost");
        // a read-only root needs a writable /tmp for the JVM
        assertThat(c.path("volumeMounts").toString()).as(cid).contains("\"mountPath\":\"/tmp\"");
      }
    }
  }

  @Test
  void loadgenJobIsIndexedWithOneShardPerPod() {
    ObjectNode job = Kustomize.one(Manifests.demo(), "Job", "surge-loadgen");
    JsonNode spec = job.path("spec");
    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    int parallelism = spec.path("parallelism").asInt();
    assertThat(parallelism).isGreaterThan(1);
    assertThat(spec.path("completions").asInt()).isEqualTo(parallelism);
    List<String> args = args(Manifests.container(job, "loadgen"));
    assertThat(args.get(0)).isEqualTo("run");
    assertThat(flag(args, "--shards")).isEqualTo(String.valueOf(parallelism));
    assertThat(flag(args, "--metrics-port")).isEqualTo("8082");
    String configMap =
        Manifests.container(job, "loadgen")
            .path("envFrom")
            .get(0)
            .path("configMapRef")
            .path("name")
            .asText();
    assertThat(Kustomize.find(Manifests.demo(), "ConfigMap", configMap))
        .as("the profile ConfigMap")
        .isPresent();
    assertThat(Manifests.podSpec(job).path("restartPolicy").asText()).isEqualTo("Never");
  }

  @Test
  void customMetricsPointAtTheContractsPrometheusAndAgreeWithEachOther() {
    JsonNode adapter =
        Kustomize.readYaml(
            Manifests.k8s()
                .resolve("components/custom-metrics-hpa/prometheus-adapter-values.yaml"));
    assertThat(
            adapter.path("prometheus").path("url").asText()
                + ":"
                + adapter.path("prometheus").path("port").asInt())
        .isEqualTo(Manifests.PROMETHEUS_URL);
    String adapterMetric =
        adapter.path("rules").path("custom").get(0).path("name").path("as").asText();
    JsonNode hpaMetrics =
        Kustomize.one(Manifests.full(), "HorizontalPodAutoscaler", "surge")
            .path("spec")
            .path("metrics");
    JsonNode pods = null;
    for (JsonNode m : hpaMetrics) {
      if (m.path("type").asText().equals("Pods")) {
        pods = m.path("pods");
      }
    }
    assertThat(pods).as("a Pods metric in the full overlay's HPA").isNotNull();
    assertThat(pods.path("metric").path("name").asText()).isEqualTo(adapterMetric);

    JsonNode trigger =
        Kustomize.one(Manifests.keda(), "ScaledObject", "surge")
            .path("spec")
            .path("triggers")
            .get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
    assertThat(trigger.path("metadata").path("serverAddress").asText())
        .isEqualTo(Manifests.PROMETHEUS_URL);
    assertThat(trigger.path("metadata").path("threshold").asText())
        .isEqualTo(pods.path("target").path("averageValue").asText());
  }

  // --- helpers

  static List<ObjectNode> workloads(List<ObjectNode> objects) {
    List<ObjectNode> out = new ArrayList<>(Kustomize.ofKind(objects, "Deployment"));
    out.addAll(Kustomize.ofKind(objects, "Job"));
    out.addAll(Kustomize.ofKind(objects, "StatefulSet"));
    out.addAll(Kustomize.ofKind(objects, "DaemonSet"));
    return out;
  }

  static Map<String, String> toMap(JsonNode labels) {
    Map<String, String> m = new HashMap<>();
    labels.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  static boolean selects(JsonNode selector, JsonNode labels) {
    return !selector.isEmpty() && toMap(labels).entrySet().containsAll(toMap(selector).entrySet());
  }

  static void assertSelects(String what, JsonNode selector, JsonNode labels) {
    assertThat(selector.isEmpty()).as("%s is empty", what).isFalse();
    assertThat(toMap(labels))
        .as("%s %s matches the labels", what, selector)
        .containsAllEntriesOf(toMap(selector));
  }

  static Map<String, Integer> containerPorts(JsonNode container) {
    Map<String, Integer> ports = new HashMap<>();
    container
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container
        .path("env")
        .forEach(
            e -> {
              if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
              }
            });
    return env;
  }

  static List<String> args(JsonNode container) {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    return args;
  }

  /** The value after {@code name} in {@code args} (or of {@code name=value}). */
  static String flag(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (args.get(i).startsWith(name + "=")) {
        return args.get(i).substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + args);
  }

  /** A contract duration ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}). */
  static Duration duration(String text) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
    if (!m.matches()) {
      throw new AssertionError("not a contract duration: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static int surge(JsonNode maxSurge, int replicas) {
    if (maxSurge.isMissingNode()) {
      return (int) Math.ceil(replicas * 0.25); // the Deployment default, 25%
    }
    if (maxSurge.isTextual() && maxSurge.asText().endsWith("%")) {
      BigDecimal pct = new BigDecimal(maxSurge.asText().replace("%", ""));
      return pct.multiply(BigDecimal.valueOf(replicas))
          .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
          .intValue();
    }
    return maxSurge.asInt();
  }

  /**
   * requests.cpu, requests.memory, limits.memory, limits.cpu of one pod (its containers summed).
   */
  private static Map<String, BigDecimal> podResources(JsonNode workload) {
    Map<String, BigDecimal> sum = new HashMap<>();
    for (JsonNode c : Manifests.podSpec(workload).path("containers")) {
      for (String kind : List.of("requests", "limits")) {
        c.path("resources")
            .path(kind)
            .properties()
            .forEach(
                e ->
                    sum.merge(
                        kind + "." + e.getKey(),
                        Quantities.value(e.getValue().asText()),
                        BigDecimal::add));
      }
    }
    assertThat(sum)
        .as("%s states requests.cpu, requests.memory, limits.memory", Kustomize.id(workload))
        .containsKeys("requests.cpu", "requests.memory", "limits.memory");
    return sum;
  }

  private static void add(Map<String, BigDecimal> total, Map<String, BigDecimal> perPod, int pods) {
    perPod.forEach((k, v) -> total.merge(k, v.multiply(BigDecimal.valueOf(pods)), BigDecimal::add));
  }
}
