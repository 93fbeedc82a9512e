package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * metrics-server serves the resource metrics API: the APIService {@code v1beta1.metrics.k8s.io}
 * exists and its {@code Available} condition is {@code True} (kube-aggregator sets it after its
 * discovery check; otherwise the HPA's CPU target shows {@code <unknown>} and it never scales).
 */
final class MetricsServerCheck implements Check {
  static final String APISERVICE = "v1beta1.metrics.k8s.io";
  static final String INSTALL =
      "kubectl apply -f"
          + " https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml";

  @Override
  public String name() {
    return "metrics-server";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    String subject = "APIService " + APISERVICE;
    Optional<JsonNode> api = cluster.get("apiservices.apiregistration.k8s.io", null, APISERVICE);
    if (api.isEmpty()) {
      return List.of(
          CheckResult.missing(
              name(),
              subject,
              "not registered: metrics-server is not installed, so the HPA gets no CPU or memory"
                  + " readings",
              INSTALL));
    }
    JsonNode available = null;
    for (JsonNode c : api.get().path("status").path("conditions")) {
      if ("Available".equals(c.path("type").asText())) {
        available = c;
      }
    }
    if (available != null && "True".equals(available.path("status").asText())) {
      return List.of(CheckResult.ok(name(), subject, "Available"));
    }
    JsonNode service = api.get().path("spec").path("service");
    String ns = service.path("namespace").asText("kube-system");
    String svc = service.path("name").asText("metrics-server");
    String state =
        available == null
            ? "has no Available condition yet"
            : "not Available ("
                + available.path("reason").asText()
                + ": "
                + available.path("message").asText()
                + ")";
    String fix;
    if (available != null && "ServiceNotFound".equals(available.path("reason").asText())) {
      fix = INSTALL;
    } else {
      // The usual cause (kind, minikube, kubeadm clusters): metrics-server cannot verify the
      // kubelets' self-signed serving certificates, so its pods never get ready and the APIService
      // has no endpoints. metrics-server's README: run it with --kubelet-insecure-tls there. The
      // fix applies that only when its log shows the certificate error.
      state +=
          "; if its log says x509, the kubelets' certificates are self-signed (kind, minikube)"
              + " and it needs --kubelet-insecure-tls";
      fix =
          "kubectl -n "
              + ns
              + " logs deployment/"
              + svc
              + " | grep -q x509 && kubectl -n "
              + ns
              + " patch deployment "
              + svc
              + " --type=json -p "
              + Shell.quote(
                  "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/args/-\","
                      + "\"value\":\"--kubelet-insecure-tls\"}]");
    }
    return List.of(CheckResult.missing(name(), subject, state, fix));
  }
}
