package dev.surge.lab.cli;

import dev.surge.common.Version;
import dev.surge.common.cli.UsageException;
import dev.surge.common.profile.RateProfile;
import dev.surge.lab.Lab;
import dev.surge.lab.LabPlan;
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
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
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
    RunConfig check = loadConfig(plan.servicePort() == 0 ? 1 : plan.servicePort());
    check.out().ifPresent(p -> LabPlan.checkOutput("--out", p));
    check.hdrLog().ifPresent(p -> LabPlan.checkOutput("--hdr-log", p));
    if (check.metricsPort() > 0) {
      checkFree("--metrics-port", check.metricsPort());
    }
    try {
      Files.createDirectories(plan.workDir());
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
      out.flush();
      return new Lab(plan, service, out, err, page).run(cfg, Version.get());
    }
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
