package dev.surge.loadgen.doctor;

/**
 * The fix command that installs kube-prometheus-stack as k8s/README.md does: release {@code
 * prometheus} in namespace {@code monitoring} with the shipped values, whose Grafana reads its
 * admin password from the Secret {@code grafana-admin} (made first, with a random password). The
 * steps are joined with {@code ;} so that a namespace or repository that already exists does not
 * stop the rest.
 */
final class KubePrometheusStack {
  private KubePrometheusStack() {}

  static final String INSTALL =
      "helm repo add prometheus-community https://prometheus-community.github.io/helm-charts;"
          + " kubectl create namespace monitoring; kubectl -n monitoring create secret generic"
          + " grafana-admin --from-literal=admin-user=admin"
          + " --from-literal=admin-password=\"$(openssl rand -base64 24)\"; helm install prometheus"
          + " prometheus-community/kube-prometheus-stack -n monitoring"
          + " -f k8s/monitoring/kube-prometheus-stack-values.yaml";
}
