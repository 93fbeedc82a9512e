package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load-generator Job's real args and env (ConfigMap included) pass the real loadgen jar's
 * {@code run --dry-run} for every completion index, each pod resolving to its own shard of the
 * profile.
 */
class K8sLoadgenIT {
  @Test
  void everyShardOfTheJobPassesTheLoadgensDryRun() {
    List<ObjectNode> demo = Manifests.demo();
    ObjectNode job = Kustomize.one(demo, "Job", "surge-loadgen");
    JsonNode container = Manifests.container(job, "loadgen");
    Map<String, String> env = new HashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String name = from.path("configMapRef").path("name").asText();
      Kustomize.one(demo, "ConfigMap", name)
          .path("data")
          .properties()
          .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    env.putAll(K8sWiringIT.env(container));
    int shards = job.path("spec").path("parallelism").asInt();
    for (int index = 0; index < shards; index++) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Commands.java().toString(),
                  "-XX:MaxRAM=512m",
                  "-jar",
                  RepoPaths.loadgenJar().toString()));
      command.addAll(K8sWiringIT.args(container));
      command.add("--dry-run");
      Map<String, String> podEnv = new HashMap<>(env);
      podEnv.put(
          "JOB_COMPLETION_INDEX", String.valueOf(index)); // set by Kubernetes in an Indexed Job
      // an Indexed Job's pod host name, <job>-<index>, which the peers are derived from
      String jobName = job.path("metadata").path("name").asText();
      podEnv.put("HOSTNAME", jobName + "-" + index);
      Commands.Result r = Commands.run(command, RepoPaths.root(), podEnv, Duration.ofSeconds(60));
      assertThat(r.exitCode()).as(r.describe()).isZero();
      assertThat(r.stdout())
          .as(r.describe())
          .contains(
              "this shard   " + index + "/" + shards + ":", "metrics      port 8082 /metrics");
      String subdomain = Manifests.podSpec(job).path("subdomain").asText();
      assertThat(r.stdout())
          .as(r.describe())
          .contains(
              "peers        0="
                  + jobName
                  + "-0."
                  + subdomain
                  + ":8082, 1="
                  + jobName
                  + "-1."
                  + subdomain
                  + ":8082")
          .contains(
              index == 0
                  ? "this shard coordinates on port 8082"
                  : "this shard joins http://" + jobName + "-0." + subdomain + ":8082/shards");
    }
  }

  @Test
  void theLoadTargetsTheAppServicesHttpPortOnAnApiRoute() {
    List<ObjectNode> demo = Manifests.demo();
    URI url =
        URI.create(
            Kustomize.one(demo, "ConfigMap", "surge-loadgen-profile")
                .path("data")
                .path("SURGE_LOADGEN_URL")
                .asText());
    JsonNode service = Kustomize.one(demo, "Service", "surge");
    int httpPort = -1;
    for (JsonNode p : service.path("spec").path("ports")) {
      if (p.path("name").asText().equals("http")) {
        httpPort = p.path("port").asInt();
      }
    }
    assertThat(url.getHost()).isEqualTo(service.path("metadata").path("name").asText());
    assertThat(url.getPort()).isEqualTo(httpPort);
    assertThat(url.getPath()).startsWith("/api/");
  }
}
