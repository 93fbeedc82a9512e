package dev.surge.loadgen.cli;

import dev.surge.common.cli.Converters;
import dev.surge.common.cli.UsageException;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.MetricSpec;
import dev.surge.hpa.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The HPA and workload options {@code plan} and {@code simulate} share: where the manifest is, and
 * the pods' resources and memory.
 */
final class HpaOptions {
  @Option(
      names = "--hpa",
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "HPA or KEDA ScaledObject manifest: a YAML file (e.g. kubectl kustomize output) or a"
              + " kustomize directory (e.g. k8s/base, k8s/overlays/demo, k8s/overlays/keda)")
  Path hpa;

  @Option(
      names = "--hpa-name",
      paramLabel = "NAME",
      description = "Which HPA or ScaledObject, when the input holds several")
  String hpaName;

  @Option(
      names = "--cpu-request",
      paramLabel = "QTY",
      converter = Converters.Millicores.class,
      description =
          "Pod CPU request (e.g. 250m); default: the target Deployment's, from the same input")
  Long cpuRequest;

  @Option(
      names = "--memory-request",
      paramLabel = "QTY",
      converter = Converters.Bytes.class,
      description = "Pod memory request (e.g. 512Mi); default: the Deployment's")
  Long memoryRequest;

  @Option(
      names = "--memory-per-pod",
      paramLabel = "QTY",
      converter = Converters.Bytes.class,
      description =
          "Memory one pod uses without load (e.g. 400Mi for a JVM: committed heap, metaspace,"
              + " code cache); required for a memory metric")
  Long memoryPerPod;

  @Option(
      names = "--memory-per-request",
      paramLabel = "QTY",
      converter = Converters.Bytes.class,
      defaultValue = "0",
      description =
          "Memory a pod adds per request/s it serves, kept at its highest rate (the heap does not"
              + " shrink). Default: ${DEFAULT-VALUE}")
  long memoryPerRequest;

  /** The HPA and the pod resources, with overrides applied. */
  record Resolved(HpaSpec hpa, Workload workload) {}

  Resolved resolve() {
    if (!Files.exists(hpa)) {
      throw new UsageException("--hpa '" + hpa + "': no such file or directory");
    }
    ManifestReader.Manifest m =
        UsageException.fromInvalid(
            "--hpa '" + hpa + "'", () -> ManifestReader.read(hpa, Optional.ofNullable(hpaName)));
    HpaSpec spec = m.hpa();
    Optional<Workload> fromManifest = m.workload();
    boolean cpuUtilization =
        spec.metrics().stream()
            .anyMatch(x -> x.isCpu() && x.targetType() == MetricSpec.TargetType.UTILIZATION);
    boolean memoryUtilization =
        spec.metrics().stream()
            .anyMatch(
                x ->
                    x.isResource()
                        && !x.isCpu()
                        && x.targetType() == MetricSpec.TargetType.UTILIZATION);
    if (fromManifest.isEmpty()
        && ((cpuUtilization && cpuRequest == null)
            || (memoryUtilization && memoryRequest == null))) {
      throw new UsageException(
          "--hpa '"
              + hpa
              + "': "
              + spec.name()
              + " scales Deployment "
              + spec.targetName()
              + ", which is not in the input; give "
              + (cpuUtilization && cpuRequest == null ? "--cpu-request" : "--memory-request")
              + " or an input that holds the Deployment");
    }
    if (cpuRequest != null && cpuRequest <= 0) {
      throw new UsageException("--cpu-request '" + cpuRequest + "m': must be > 0");
    }
    long cpu =
        cpuRequest != null
            ? cpuRequest
            : fromManifest.map(Workload::cpuRequestMillicores).orElse(0L);
    if (cpuUtilization && cpu <= 0) {
      throw new UsageException(
          "--hpa '"
              + hpa
              + "': Deployment "
              + spec.targetName()
              + " has no CPU request, which a CPU utilization target needs; give --cpu-request");
    }
    long memory =
        memoryRequest != null
            ? memoryRequest
            : fromManifest.map(Workload::memoryRequestBytes).orElse(0L);
    if (memoryUtilization && memory <= 0) {
      throw new UsageException(
          "--hpa '"
              + hpa
              + "': Deployment "
              + spec.targetName()
              + " has no memory request, which a memory utilization target needs; give"
              + " --memory-request");
    }
    boolean memoryMetric = spec.metrics().stream().anyMatch(x -> x.isResource() && !x.isCpu());
    if (memoryMetric && memoryPerPod == null) {
      throw new UsageException(
          "--hpa '"
              + hpa
              + "': "
              + spec.name()
              + " scales on memory; give --memory-per-pod (what one pod uses, e.g. 400Mi)");
    }
    long limit = fromManifest.map(Workload::cpuLimitMillicores).orElse(0L);
    Workload w =
        new Workload(cpu, memory, limit, fromManifest.map(Workload::containers).orElse(Map.of()));
    return new Resolved(spec, w);
  }

  double memoryPerPodBytes() {
    return memoryPerPod == null ? 0 : memoryPerPod;
  }

  double memoryPerRequestBytes() {
    return memoryPerRequest;
  }
}
