package dev.surge.loadgen.doctor;

/**
 * Fix commands that install kube-prometheus-stack as k8s/README.md does (release {@code prometheus}
 * in namespace {@code monitoring}, with the shipped values).
 */
final class KubePrometheusStack {
  private KubePrometheusStack() {}

  static final String INSTALL =
      "helm repo add prometheus-community https://prometheus-community.github.io/helm-charts && helm"
          + " install prometheus prometheus-community/kube-prometheus-stack -n monitoring"
          + " --create-namespace -f k8s/monitoring/kube-prometheus-stack-values.yaml";
}
