package dev.surge.lab.cli;

import dev.surge.common.Version;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.lab.Lab;
import dev.surge.lab.LabPlan;
import dev.surge.lab.fault.Fault;
import dev.surge.lab.fault.FaultSchedule;
import dev.surge.lab.fault.Scenario;
import dev.surge.lab.service.Balancer;
import dev.surge.loadgen.cli.RunOptions;
import dev.surge.loadgen.cli.UiOptions;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.run.RunConfig;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import dev.surge.loadgen.ui.LiveView;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: the HPA loop on this machine with the loadgen's {@code run} engine as the load.
 * Every flag is checked before anything starts; a bad one exits 2 naming it and its value.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start the app as pods behind a local Service, autoscale them with the shipped HPA and drive"
          + " load through the Service.",
      "Example: run --fast --profile 'ramp:0->30/20s,hold:30/40s,pause:40s' --max-connection-age 5s"
    })
public final class LabRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--profile",
      paramLabel = "STAGES",
      required = true,
      description =
          "Rate profile through the Service, e.g. 'ramp:0->30/20s,hold:30/40s,pause:40s'.")
  String profile;

  @Mixin LabOptions lab = new LabOptions();

  @Mixin RunOptions load;

  @Mixin UiOptions ui = new UiOptions();

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Everything is validated before anything starts or prints: the lab's flags and manifests, and
    // the load's flags against a stand-in URL (the Service's port is known once it is bound).
    LabPlan plan = LabPlan.from(lab, RepoLayout.root());
    plan = plan.withFaults(faults(), newToken());
    if (plan.prometheus().isPresent()
        && spec.findOption("--metrics-port") != null
        && Integer.valueOf(-1).equals(spec.findOption("--metrics-port").getValue())) {
      // Prometheus scrapes the load engine as the shipped PodMonitor says: it needs a metrics port.
      spec.findOption("--metrics-port").setValue(0);
    }
    RunConfig check = loadConfig(plan.servicePort() == 0 ? 1 : plan.servicePort());
    check.out().ifPresent(p -> LabPlan.checkOutput("--out", p));
    check.hdrLog().ifPresent(p -> LabPlan.checkOutput("--hdr-log", p));
    if (check.metricsPort() > 0) {
      checkFree("--metrics-port", check.metricsPort());
    }
    try {
      Files.createDirectories(plan.workDir());
      if (!plan.faults().isEmpty()) {
        Files.writeString(plan.adminTokenFile(), plan.adminToken(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UsageException("--work-dir '" + plan.workDir() + "': " + e.getMessage(), e);
    }
    // The live page before anything else starts, so its URL is the first line (a port in use is a
    // usage error naming --ui-port).
    try (LiveView page = ui.open(out)) {
      Balancer service;
      try {
        service = Balancer.start(plan.servicePort());
      } catch (IOException e) {
        throw new UsageException("--service-port " + plan.servicePort() + ": " + e.getMessage(), e);
      }
      RunConfig cfg;
      try {
        cfg = loadConfig(service.port());
      } catch (RuntimeException e) {
        service.close();
        throw e;
      }
      plan.notes().forEach(out::println);
      out.println("service  http://127.0.0.1:" + service.port() + " (balances like kube-proxy)");
      out.println("logs     " + plan.workDir());
      if (!plan.faults().isEmpty()) {
        out.println(
            "faults   "
                + FaultSchedule.describe(plan.faults())
                + " (through each pod's admin API)");
      }
      out.flush();
      return new Lab(plan, service, out, err, page).run(cfg, Version.get());
    }
  }

  /** {@code --fault} and {@code --scenario}, each within the profile's duration. */
  private List<Fault> faults() {
    List<Fault> faults = new ArrayList<>();
    double runEnd;
    try {
      runEnd = RateProfile.parse(profile).durationSeconds();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--profile '" + profile + "': " + e.getMessage(), e);
    }
    for (String spec : lab.faults) {
      String flag = "--fault '" + spec + "'";
      Fault f = UsageException.fromInvalid(flag, () -> Fault.parse(spec));
      faults.add(withinRun(f, runEnd, flag));
    }
    if (lab.scenario != null) {
      String flag = "--scenario '" + lab.scenario + "'";
      if (!Files.isRegularFile(lab.scenario)) {
        throw new UsageException(flag + ": no such file");
      }
      for (Fault f : UsageException.fromInvalid(flag, () -> Scenario.read(lab.scenario))) {
        faults.add(withinRun(f, runEnd, flag));
      }
    }
    return faults;
  }

  private static Fault withinRun(Fault f, double runEnd, String flag) {
    if (f.endSeconds(runEnd) > runEnd || f.atSeconds() >= runEnd) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "%s: %s ends at %.0fs, after the load (the profile lasts %.0fs)",
              flag,
              f,
              Math.max(f.atSeconds(), f.endSeconds(runEnd)),
              runEnd));
    }
    return f;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A port the load run will bind must be free now, before any pod starts. */
  private static void checkFree(String flag, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new UsageException(flag + " " + port + ": already in use (" + e.getMessage() + ")", e);
    }
  }

  private RunConfig loadConfig(int servicePort) {
    if (!lab.path.startsWith("/")) {
      throw new UsageException("--path '" + lab.path + "': must start with /");
    }
    String url = "http://127.0.0.1:" + servicePort + lab.path;
    try {
      URI uri = RequestTemplate.parseUrl(url);
      RequestMix mix = RequestMix.single(new RequestTemplate("GET", uri, List.of(), null, null));
      RateProfile p;
      try {
        p = RateProfile.parse(profile);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--profile '" + profile + "': " + e.getMessage(), e);
      }
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("url", url);
      described.put("method", "GET");
      described.put("profile", p.toString());
      described.put("durationSeconds", p.durationSeconds());
      described.put("lab", true);
      return load.toConfig(mix, p, ShardSpec.resolve(null, null, Map.of()), described);
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }
}
