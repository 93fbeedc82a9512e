package dev.surge.loadgen.doctor;

import dev.surge.common.cli.UsageException;
import java.util.List;

/**
 * The kubeconfig context the doctor reads: {@code --context} when given (it must exist), else the
 * current context ({@code kubectl config current-context}); no context at all is a usage error
 * naming the contexts there are.
 */
final class KubeContext {
  private KubeContext() {}

  /**
   * @param kubectl the binary with {@code --kubeconfig} set when the user gave one
   * @param requested {@code --context}, or null
   * @throws UsageException when there is no such context, or no current one
   */
  static String resolve(KubectlProcess kubectl, String requested) {
    List<String> contexts = contexts(kubectl);
    if (requested != null) {
      if (!contexts.contains(requested)) {
        throw new UsageException(
            "--context '"
                + requested
                + "': no such context in the kubeconfig ("
                + known(contexts)
                + ")");
      }
      return requested;
    }
    KubectlProcess.Result r = kubectl.run(List.of("config", "current-context"));
    String current = r.out().strip();
    if (!r.ok() || current.isEmpty()) {
      throw new UsageException(
          "no current context in the kubeconfig (kubectl config current-context: "
              + r.errorLine()
              + "); "
              + (contexts.isEmpty()
                  ? "it has no contexts: point KUBECONFIG (or --kubeconfig) at your cluster's kubeconfig"
                  : "pick one with kubectl config use-context <name> or --context <name> ("
                      + known(contexts)
                      + ")"));
    }
    return current;
  }

  private static List<String> contexts(KubectlProcess kubectl) {
    KubectlProcess.Result r = kubectl.run(List.of("config", "get-contexts", "-o", "name"));
    if (!r.ok()) {
      throw new UsageException("cannot read the kubeconfig: " + r.errorLine());
    }
    return r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String known(List<String> contexts) {
    return contexts.isEmpty() ? "it has none" : "it has: " + String.join(", ", contexts);
  }
}
