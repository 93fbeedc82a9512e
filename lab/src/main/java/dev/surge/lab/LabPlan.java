package dev.surge.lab;

import dev.surge.hpa.Workload;
import dev.surge.lab.controller.Timing;
import dev.surge.lab.monitoring.MonitoringPlan;
import dev.surge.lab.pod.PodTemplate;
import java.nio.file.Path;
import java.time.Duration;
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
    Optional<MonitoringPlan> prometheus) {}
