package dev.surge.lab.cli;

import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.ShutdownSignal;
import dev.surge.common.cli.UsageException;
import dev.surge.lab.service.Balancer;
import dev.surge.lab.service.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code service}: only the lab's Service (the TCP balancer) in front of fixed endpoints, until
 * Ctrl-C or SIGTERM — for measuring what the balancer adds (bench/lab-balancer-bench.sh) and for
 * trying it by hand.
 */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the lab's Service in front of fixed endpoints until stopped.",
      "Example: service --to 127.0.0.1:8080 --to 127.0.0.1:8082"
    })
public final class LabServiceCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--to",
      paramLabel = "HOST:PORT",
      required = true,
      description = "An endpoint. Repeatable.")
  List<String> to = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "The Service's port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String t : to) {
      int colon = t.lastIndexOf(':');
      int p;
      try {
        p = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw new UsageException("--to '" + t + "': expected HOST:PORT");
      }
      endpoints.add(new Endpoint(t, new InetSocketAddress(t.substring(0, colon), p)));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (Balancer b = Balancer.start(port)) {
      b.endpoints(endpoints);
      PrintWriter out = spec.commandLine().getOut();
      out.println("surge-lab service port=" + b.port());
      out.flush();
      if (ShutdownSignal.onSignal("surge-lab-service-stop", stopped::countDown)) {
        stopped.await();
      }
    }
    return ExitCode.OK.code();
  }
}
