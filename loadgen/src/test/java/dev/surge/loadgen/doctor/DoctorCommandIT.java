package dev.surge.loadgen.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.testing.Cli;
import dev.surge.testkit.FreePort;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge-loadgen doctor} as a user runs it, with the real {@code kubectl} and kubeconfigs
 * made here: what is not a cluster (no kubectl, no context, an unknown overlay) is a usage error
 * naming it (exit 2, no trace); a cluster that does not answer is a failed check (exit 1).
 */
class DoctorCommandIT {
  @TempDir Path tmp;

  private Map<String, String> env(Path kubeconfig) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("KUBECONFIG", kubeconfig.toString());
    return env;
  }

  private Path kubeconfig(String currentContext) throws IOException {
    int port = FreePort.find(); // nothing listens there: connection refused, at once
    Path f = tmp.resolve("kubeconfig");
    Files.writeString(
        f,
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: nowhere\n"
            + "  cluster:\n"
            + "    server: https://127.0.0.1:"
            + port
            + "\n"
            + "contexts:\n"
            + "- name: kind-surge\n"
            + "  context: {cluster: nowhere, user: dev}\n"
            + "- name: other\n"
            + "  context: {cluster: nowhere, user: dev}\n"
            + (currentContext == null ? "" : "current-context: " + currentContext + "\n")
            + "users:\n"
            + "- name: dev\n"
            + "  user: {token: not-a-secret}\n");
    return f;
  }

  @Test
  void anEmptyKubeconfigHasNoCurrentContextAndThatIsAUsageError() throws IOException {
    Tools.require("kubectl", "kubectl");
    Path empty = Files.createFile(tmp.resolve("empty-kubeconfig"));
    Cli.Result r = Cli.runWithEnv(env(empty), "doctor");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: no current context in the kubeconfig (kubectl config current-context: error:"
                + " current-context is not set); it has no contexts: point KUBECONFIG (or"
                + " --kubeconfig) at your cluster's kubeconfig\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void contextsWithoutACurrentOneAreListed() throws IOException {
    Tools.require("kubectl", "kubectl");
    Path kc = kubeconfig(null);
    Cli.Result r =
        Cli.runWithEnv(
            Map.of("PATH", System.getenv("PATH")), "doctor", "--kubeconfig", kc.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("no current context in the kubeconfig")
        .contains(
            "pick one with kubectl config use-context <name> or --context <name> (it has:"
                + " kind-surge, other)")
        .doesNotContain("Exception");
  }

  @Test
  void anUnknownContextIsNamed() throws IOException {
    Tools.require("kubectl", "kubectl");
    Cli.Result r = Cli.runWithEnv(env(kubeconfig("kind-surge")), "doctor", "--context", "prod");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --context 'prod': no such context in the kubeconfig (it has: kind-surge,"
                + " other)\n");
  }

  @Test
  void aClusterThatDoesNotAnswerIsAFailedCheckNotAUsageError() throws IOException {
    Tools.require("kubectl", "kubectl");
    Cli.Result r = Cli.runWithEnv(env(kubeconfig("kind-surge")), "doctor");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("missing  cluster        context kind-surge: cannot reach the API server: ")
        .contains("127.0.0.1")
        .endsWith("nothing else checked  fix: kubectl --context kind-surge cluster-info\n");
  }

  @Test
  void noKubectlOnPathIsAUsageError() throws IOException {
    Path emptyDir = Files.createDirectory(tmp.resolve("bin"));
    Cli.Result r = Cli.runWithEnv(Map.of("PATH", emptyDir.toString()), "doctor");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/)"
                + " or pass --kubectl <path>\n");
  }

  @Test
  void aKubectlThatIsNotAFileIsNamed() {
    Cli.Result r = Cli.run("doctor", "--kubectl", tmp.resolve("no-such-kubectl").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --kubectl '" + tmp.resolve("no-such-kubectl") + "': not an executable file\n");
  }

  @Test
  void anUnknownOverlayIsNamedWithTheOverlaysThereAre() throws IOException {
    String known;
    try (var s = Files.list(Path.of("..", "k8s", "overlays").toAbsolutePath().normalize())) {
      known =
          s.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .sorted()
              .collect(Collectors.joining(", "));
    }
    Cli.Result r = Cli.runWithEnv(env(kubeconfig("kind-surge")), "doctor", "--overlay", "prod");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "error: --overlay 'prod': no such overlay: neither a kustomize directory nor a name"
                + " under k8s/overlays (")
        .endsWith("k8s/overlays has: " + known + ")\n");
  }

  @Test
  void aDirectoryWithoutKustomizationIsNotAnOverlay() throws IOException {
    Cli.Result r =
        Cli.runWithEnv(env(kubeconfig("kind-surge")), "doctor", "--overlay", tmp.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --overlay '"
                + tmp
                + "': "
                + tmp
                + " has no kustomization.yaml: not an"
                + " overlay\n");
  }

  @Test
  void anOverlayKustomizeCannotRenderIsAUsageErrorWithKustomizesWords() throws IOException {
    Tools.require("kubectl", "kubectl");
    Path dir = Files.createDirectory(tmp.resolve("broken"));
    Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
    Cli.Result r =
        Cli.runWithEnv(env(kubeconfig("kind-surge")), "doctor", "--overlay", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("error: --overlay '" + dir + "': kubectl kustomize failed: ")
        .contains("missing.yaml");
  }
}
