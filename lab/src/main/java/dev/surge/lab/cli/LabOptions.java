package dev.surge.lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The lab's own flags, shared by {@code run} and {@code demo} (a picocli mixin); {@link
 * dev.surge.lab.LabPlan#from} validates them. The fields are public for it, as picocli fills them.
 */
public final class LabOptions {
  @Option(
      names = "--app-jar",
      paramLabel = "FILE",
      description =
          "The app jar each pod runs. Default: app/target/surge-app.jar of this repository.")
  public Path appJar;

  @Option(
      names = "--pod-java",
      paramLabel = "FILE",
      description =
          "The java each pod runs (JDK 17 or later), e.g. a JDK 25's bin/java: pods then start from"
              + " an AOT cache instead of an AppCDS archive. Default: the java running the lab.")
  public Path podJava;

  @Option(
      names = "--hpa",
      paramLabel = "DIR|FILE",
      description =
          "Manifests with the HPA and its Deployment (a kustomize directory or YAML). Default: k8s/base.")
  public Path hpa;

  @Option(
      names = "--hpa-name",
      paramLabel = "NAME",
      description = "Which HPA when the manifests hold several.")
  public String hpaName;

  @Option(
      names = "--path",
      paramLabel = "PATH",
      defaultValue = "/api/work?cpuMillis=20",
      description = "Request path sent through the Service. Default: ${DEFAULT-VALUE}.")
  public String path;

  @Option(
      names = "--cpu-per-request",
      paramLabel = "DUR",
      description =
          "CPU one request costs, for the simulated replicas. Default: the path's cpuMillis.")
  public String cpuPerRequest;

  @Option(
      names = "--fast",
      description =
          "Demo timing: sync period and metric window 5s, stabilization windows and policy periods"
              + " shortened (printed at start).")
  public boolean fast;

  @Option(
      names = "--cpu-request",
      paramLabel = "QTY",
      description =
          "Override the Deployment's CPU request per pod (e.g. 100m): the HPA's utilization is"
              + " measured against it.")
  public String cpuRequest;

  @Option(
      names = "--memory-request",
      paramLabel = "QTY",
      description =
          "Override the Deployment's memory request per pod (e.g. 128Mi): memory utilization is"
              + " measured against it (the limit, which sizes the heap, stays).")
  public String memoryRequest;

  @Option(
      names = "--replica-cap",
      paramLabel = "N",
      description =
          "Most pods the lab runs. Default: what the machine fits (cores / CPU request, memory /"
              + " memory request).")
  public Integer replicaCap;

  @Option(
      names = "--pod-arg",
      paramLabel = "ARG",
      description =
          "Extra app argument for every pod, e.g. --pod-arg=--added-latency=100ms. Repeatable.")
  public List<String> podArgs = new ArrayList<>();

  @Option(
      names = "--service-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "The Service's port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  public int servicePort;

  @Option(
      names = "--ready-timeout",
      paramLabel = "DUR",
      defaultValue = "120s",
      description =
          "How long the first minReplicas pods may take to become ready. Default: ${DEFAULT-VALUE}.")
  public String readyTimeout;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Pod logs go here. Default: a new directory under the system temp dir.")
  public Path workDir;

  @Option(
      names = "--prometheus",
      description =
          "Also start a real Prometheus (Debian's prometheus on PATH) that scrapes every pod as the"
              + " ServiceMonitor does, loads the shipped PrometheusRule and the lab's"
              + " kube-state-metrics series; its URL is printed.")
  public boolean prometheus;

  @Option(
      names = "--alertmanager",
      description =
          "Also start Debian's Alertmanager with k8s/alertmanager/alertmanager.yml's routes, every"
              + " receiver posting to a webhook sink of the lab; implies --prometheus. Each alert is"
              + " printed as it turns pending, firing, resolved and as Alertmanager delivers it.")
  public boolean alertmanager;

  @Option(
      names = "--fault",
      paramLabel = "AT:KIND[=VALUE][/FOR]",
      description =
          "A fault at a time of the load, through every pod's admin API: error-rate=0.5,"
              + " latency=700ms, memory-burn=200Mi, cpu-burn=300m (each optionally /FOR), pod-kill."
              + " E.g. --fault 30s:error-rate=0.5/40s. Repeatable.")
  public List<String> faults = new ArrayList<>();

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description =
          "Faults from a YAML file: faults: [{at: 30s, fault: error-rate, value: 0.5, for: 40s}].")
  public Path scenario;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the HTML report of the run here.")
  public Path report;

  @Option(
      names = "--price-vcpu-hour",
      paramLabel = "PRICE",
      defaultValue = "0.04048",
      description =
          "Price of a requested vCPU per hour for the cost figures (the FinOps dashboard's)."
              + " Default: ${DEFAULT-VALUE}.")
  public String priceVcpuHour;

  @Option(
      names = "--price-gib-hour",
      paramLabel = "PRICE",
      defaultValue = "0.004445",
      description =
          "Price of a requested GiB of memory per hour (the FinOps dashboard's). Default:"
              + " ${DEFAULT-VALUE}.")
  public String priceGibHour;

  @Option(
      names = "--currency",
      paramLabel = "CODE",
      defaultValue = "USD",
      description = "The prices' currency, as printed. Default: ${DEFAULT-VALUE}.")
  public String currency;
}
