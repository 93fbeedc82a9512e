package dev.surge.lab;

import dev.surge.hpa.Workload;
import dev.surge.lab.controller.Timing;
import dev.surge.lab.fault.Fault;
import dev.surge.lab.monitoring.MonitoringPlan;
import dev.surge.lab.pod.PodTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a lab run needs, validated before anything starts.
 *
 * @param appJar the app jar the pods run
 * @param template the pod template from the Deployment
 * @param workload the Deployment's resources as the HPA model reads them
 * @param timing sync period, metric window and the HPA the controller runs (maxReplicas capped)
 * @param manifestMaxReplicas the manifest's maxReplicas before the cap
 * @param cpuPerRequestSeconds CPU per request for the simulated replicas
 * @param workDir where pod logs go
 * @param readyTimeout how long the first pods may take to become ready
 * @param report the HTML report to write, null for none
 * @param prometheus the Prometheus to start, empty without {@code --prometheus}
 * @param faults the faults to inject, in seconds after the load starts
 * @param adminToken the pods' admin bearer token (their {@code --admin-token-file}), empty when no
 *     fault is scheduled
 */
public record LabPlan(
    Path appJar,
    PodTemplate template,
    Workload workload,
    Timing timing,
    int manifestMaxReplicas,
    double cpuPerRequestSeconds,
    Path workDir,
    Duration readyTimeout,
    Path report,
    Optional<MonitoringPlan> prometheus,
    List<Fault> faults,
    String adminToken) {
  public LabPlan {
    faults = List.copyOf(faults);
  }

  /** Where the admin token file is written before the pods start. */
  public Path adminTokenFile() {
    return workDir.resolve("admin-token");
  }
}
