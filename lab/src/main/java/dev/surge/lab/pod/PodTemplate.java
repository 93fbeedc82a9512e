package dev.surge.lab.pod;

import java.util.ArrayList;
import java.util.List;

/**
 * What the lab takes from the Deployment's pod template to start a pod as a process.
 *
 * @param deployment the Deployment's name (the pods' name prefix)
 * @param templateHash the pod-template-hash (10 characters, from the template's content)
 * @param javaToolOptions the container's {@code JAVA_TOOL_OPTIONS}, empty when it sets none
 * @param args the container's args that apply here (ports and instance are set by the lab)
 * @param dropped args left out because they name files that do not exist on this machine
 * @param cpuRequestMillicores the CPU request summed over containers
 * @param memoryRequestBytes the memory request (0: none)
 * @param memoryLimitBytes the memory limit, which the JVM sizes its heap from in a container (0:
 *     none)
 * @param startupProbe the startup probe
 * @param readinessProbe the readiness probe
 * @param livenessProbe the liveness probe, null when the container has none
 * @param terminationGraceSeconds how long a pod may take to stop after SIGTERM before SIGKILL
 */
public record PodTemplate(
    String deployment,
    String templateHash,
    String javaToolOptions,
    List<String> args,
    List<String> dropped,
    long cpuRequestMillicores,
    long memoryRequestBytes,
    long memoryLimitBytes,
    Probe startupProbe,
    Probe readinessProbe,
    Probe livenessProbe,
    double terminationGraceSeconds) {
  public PodTemplate {
    args = List.copyOf(args);
    dropped = List.copyOf(dropped);
  }

  /** This template with another CPU request. */
  public PodTemplate withCpuRequest(long millicores) {
    return new PodTemplate(
        deployment,
        templateHash,
        javaToolOptions,
        args,
        dropped,
        millicores,
        memoryRequestBytes,
        memoryLimitBytes,
        startupProbe,
        readinessProbe,
        livenessProbe,
        terminationGraceSeconds);
  }

  /** This template with another memory request. */
  public PodTemplate withMemoryRequest(long bytes) {
    return new PodTemplate(
        deployment,
        templateHash,
        javaToolOptions,
        args,
        dropped,
        cpuRequestMillicores,
        bytes,
        memoryLimitBytes,
        startupProbe,
        readinessProbe,
        livenessProbe,
        terminationGraceSeconds);
  }

  /** This template with {@code extra} appended to the container's args. */
  public PodTemplate withExtraArgs(List<String> extra) {
    List<String> all = new ArrayList<>(args);
    all.addAll(extra);
    return new PodTemplate(
        deployment,
        templateHash,
        javaToolOptions,
        all,
        dropped,
        cpuRequestMillicores,
        memoryRequestBytes,
        memoryLimitBytes,
        startupProbe,
        readinessProbe,
        livenessProbe,
        terminationGraceSeconds);
  }
}
