package dev.surge.loadgen.doctor;

import java.util.Set;

/**
 * The API groups a Kubernetes API server serves itself
 * (kubernetes.io/docs/reference/kubernetes-api, 1.25 and later); a kind in any other group is
 * served by a CustomResourceDefinition (or an aggregated API, which the doctor treats the same way:
 * something must be installed).
 */
final class BuiltInApiGroups {
  private static final Set<String> GROUPS =
      Set.of(
          "", // core: v1
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io",
          "apiregistration.k8s.io",
          "apps",
          "authentication.k8s.io",
          "authorization.k8s.io",
          "autoscaling",
          "batch",
          "certificates.k8s.io",
          "coordination.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "flowcontrol.apiserver.k8s.io",
          "internal.apiserver.k8s.io",
          "networking.k8s.io",
          "node.k8s.io",
          "policy",
          "rbac.authorization.k8s.io",
          "resource.k8s.io",
          "scheduling.k8s.io",
          "storage.k8s.io",
          "storagemigration.k8s.io");

  private BuiltInApiGroups() {}

  static boolean isBuiltIn(String group) {
    return GROUPS.contains(group);
  }
}
