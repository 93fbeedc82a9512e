package dev.surge.loadgen.cli;

import dev.surge.hpa.Flags;
import dev.surge.hpa.HpaSpec;
import dev.surge.hpa.ManifestReader;
import dev.surge.hpa.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The HPA and workload options {@code plan} and {@code simulate} share: where the manifest is, and
 * overrides.
 */
final class HpaOptions {
  @Option(
      names = "--hpa",
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "HPA manifest: a YAML file (e.g. kubectl kustomize output) or a kustomize directory (e.g. k8s/base)")
  String hpa;

  @Option(
      names = "--hpa-name",
      paramLabel = "NAME",
      description = "Which HPA, when the input holds several")
  String hpaName;

  @Option(
      names = "--cpu-request",
      paramLabel = "QTY",
      description =
          "Pod CPU request (e.g. 250m); default: the target Deployment's, from the same input")
  String cpuRequest;

  @Option(
      names = "--memory-request",
      paramLabel = "QTY",
      description = "Pod memory request for the cost (e.g. 256Mi); default: the Deployment's")
  String memoryRequest;

  /** The HPA and the pod resources, with overrides applied. */
  record Resolved(HpaSpec hpa, Workload workload) {}

  Resolved resolve() {
    Path path = Path.of(hpa);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("--hpa '" + hpa + "': no such file or directory");
    }
    ManifestReader.Manifest m =
        Flags.parse("--hpa", hpa, v -> ManifestReader.read(path, Optional.ofNullable(hpaName)));
    Optional<Workload> fromManifest = m.workload();
    long cpu;
    if (cpuRequest != null) {
      cpu = Flags.millicores("--cpu-request", cpuRequest);
      if (cpu <= 0) {
        throw new IllegalArgumentException("--cpu-request '" + cpuRequest + "': must be > 0");
      }
    } else if (fromManifest.isPresent()) {
      cpu = fromManifest.get().cpuRequestMillicores();
    } else {
      throw new IllegalArgumentException(
          "--hpa '"
              + hpa
              + "': the input has no Deployment "
              + m.hpa().targetName()
              + " to take the CPU request from; give --cpu-request");
    }
    long memory =
        memoryRequest != null
            ? Flags.bytes("--memory-request", memoryRequest)
            : fromManifest.map(Workload::memoryRequestBytes).orElse(0L);
    long limit = fromManifest.map(Workload::cpuLimitMillicores).orElse(0L);
    return new Resolved(m.hpa(), new Workload(cpu, memory, limit));
  }
}
