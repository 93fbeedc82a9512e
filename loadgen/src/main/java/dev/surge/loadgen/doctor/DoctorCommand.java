package dev.surge.loadgen.doctor;

import dev.surge.loadgen.cli.SurgeLoadgen;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code doctor}: preflight of a live cluster for an overlay, through {@code kubectl}. One line per
 * check, ok or missing, each missing one with the command that fixes it. Exit 0 all ok, 1 some
 * missing, 2 bad input (no kubectl, no current context, an unknown overlay).
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Preflight: does this cluster have what the overlay needs? Reads the cluster through kubectl"
          + " (read-only) and prints one line per check, ok or missing, with the command that"
          + " fixes it.",
      "Checks: metrics-server's APIService, the CRDs of every kind the overlay renders, the"
          + " Prometheus and Alertmanager selectors against our objects, Grafana's dashboard"
          + " sidecar, the Secrets our pods and AlertmanagerConfig read, image pull errors.",
      "Exit codes: 0 all ok, 1 something missing, 2 bad input."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand SurgeLoadgen root;

  @Option(
      names = "--overlay",
      paramLabel = "DIR|NAME",
      defaultValue = "demo",
      description =
          "The kustomize overlay you apply: a directory, or a name under k8s/overlays (looked up"
              + " from the working directory upwards). Default: ${DEFAULT-VALUE}")
  String overlay;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = "surge",
      description =
          "The namespace of the overlay's objects that name none. Default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = "--kubectl",
      paramLabel = "FILE",
      description = "The kubectl binary. Default: kubectl on PATH")
  Path kubectl;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to read. Default: the current context")
  String context;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig file. Default: kubectl's ($KUBECONFIG, else ~/.kube/config)")
  Path kubeconfig;

  @Override
  public Integer call() {
    Map<String, String> env = root == null ? System.getenv() : root.env();
    OverlayLocator.Located dir = OverlayLocator.resolve(overlay, Path.of(""));
    Path binary = KubectlBinary.find(kubectl, env.get("PATH"));
    // kubectl's own variables, from the program's environment (tests hand it theirs)
    Map<String, String> childEnv = new HashMap<>();
    for (String v : List.of("KUBECONFIG", "KUBECACHEDIR")) {
      if (env.containsKey(v)) {
        childEnv.put(v, env.get(v));
      }
    }
    List<String> global = new ArrayList<>();
    if (kubeconfig != null) {
      global.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    KubectlProcess local = new KubectlProcess(binary, childEnv, global);
    Overlay rendered = Overlay.render(local, dir, namespace);
    String ctx = KubeContext.resolve(local, context);
    Cluster cluster = new KubectlCluster(local.withGlobalArgs(List.of("--context", ctx)));
    return new Doctor(Doctor.checks()).run(rendered, cluster, ctx, spec.commandLine().getOut());
  }
}
