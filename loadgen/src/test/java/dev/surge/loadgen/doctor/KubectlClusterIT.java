package dev.surge.loadgen.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.loadgen.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} against {@link FakeApiServer}: what {@link KubectlCluster} makes of
 * kubectl's real output (JSON lists, {@code NotFound}, a resource type the server does not have),
 * and the whole {@code doctor} command, as a user runs it, saying the same as the doctor fed the
 * fixtures directly.
 */
class KubectlClusterIT {
  @TempDir Path tmp;

  private Path kubeconfig(FakeApiServer api) throws IOException {
    Path f = tmp.resolve("kubeconfig");
    Files.writeString(
        f,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: "
            + api.url()
            + "\ncontexts:\n- name: fake\n  context: {cluster: fake}\ncurrent-context: fake\n");
    return f;
  }

  private KubectlCluster cluster(FakeApiServer api) throws IOException {
    return new KubectlCluster(
        new KubectlProcess(
            Rendered.kubectl(),
            Map.of("KUBECACHEDIR", tmp.resolve("cache").toString()),
            List.of("--kubeconfig", kubeconfig(api).toString(), "--context", "fake")));
  }

  @Test
  void readsObjectsListsAbsenceAndMissingResourceTypesThroughTheRealKubectl() throws Exception {
    try (FakeApiServer api =
        FakeApiServer.start(
            FixtureCluster.healthy(),
            FakeApiServer.ALL.stream().filter(r -> !r.plural().equals("alertmanagers")).toList())) {
      KubectlCluster c = cluster(api);
      assertThat(c.serverVersion()).isEqualTo("v1.33.1");
      assertThat(c.get("apiservices.apiregistration.k8s.io", null, "v1beta1.metrics.k8s.io"))
          .hasValueSatisfying(
              a -> assertThat(a.at("/status/conditions/0/type").asText()).isEqualTo("Available"));
      assertThat(c.get("secrets", "surge", "no-such-secret")).isEmpty();
      assertThat(c.list(PrometheusSelectorCheck.PROMETHEUSES, null, null))
          .singleElement()
          .satisfies(
              p -> assertThat(K8s.name(p)).isEqualTo("prometheus-kube-prometheus-prometheus"));
      assertThat(c.list("deployments.apps", null, GrafanaSidecarCheck.GRAFANA_SELECTOR)).hasSize(1);
      assertThat(c.list("deployments.apps", null, "app.kubernetes.io/name=nothing")).isEmpty();
      assertThat(c.list("secrets", "surge", null)).hasSize(2);
      // no Alertmanager CRD served: "the server doesn't have a resource type" reads as none
      assertThat(c.list(AlertmanagerConfigCheck.ALERTMANAGERS, null, null)).isEmpty();
    }
  }

  @Test
  void aServerErrorIsAClusterExceptionWithKubectlsWords() throws Exception {
    FakeApiServer api = FakeApiServer.start(FixtureCluster.healthy(), FakeApiServer.ALL);
    KubectlCluster c;
    try (api) {
      c = cluster(api);
    }
    // stopped: the port refuses, as a cluster that is down does
    assertThatThrownBy(c::serverVersion)
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void theDoctorCommandThroughKubectlSaysWhatTheFixturesSay() throws Exception {
    FixtureCluster fixtures =
        FixtureCluster.healthy()
            .set(
                PrometheusSelectorCheck.PROMETHEUSES,
                FixtureCluster.load("prometheus-kps-88.5.3-release-kps.json"))
            .add("pods", FixtureCluster.load("pods-image-pull-backoff.json"))
            .add("events", FixtureCluster.load("events-image-pull.json"));
    Rendered.Report direct = Rendered.doctor("full", fixtures);
    try (FakeApiServer api = FakeApiServer.start(fixtures, FakeApiServer.ALL)) {
      Cli.Result r =
          Cli.runWithEnv(
              Map.of(
                  "PATH", System.getenv("PATH"),
                  "KUBECONFIG", kubeconfig(api).toString(),
                  "KUBECACHEDIR", tmp.resolve("cache").toString()),
              "doctor",
              "--overlay",
              "full");
      assertThat(r.err()).isEmpty();
      assertThat(r.exitCode()).isEqualTo(1).isEqualTo(direct.code());
      List<String> lines = r.out().lines().toList();
      assertThat(lines.get(0))
          .startsWith("surge doctor: context fake (server v1.33.1), overlay full at ");
      assertThat(lines.subList(1, lines.size())).isEqualTo(direct.out().lines().skip(1).toList());
      assertThat(direct.lines("missing", "prometheus")).isNotEmpty();
      assertThat(direct.lines("missing", "image")).isNotEmpty();
    }
  }
}
