package dev.surge.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.app.AppConfig;
import dev.surge.app.SurgeApp;
import dev.surge.loadgen.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real result (a short loadgen run against the real app, in-process) and helpers to read the
 * report's SVG.
 */
final class ReportFixtures {
  private ReportFixtures() {}

  /**
   * Runs {@code surge-loadgen run} against two real app instances (a scenario splitting the
   * traffic) and returns the result file, with a {@code scaling} object added the way {@code run
   * --prometheus} writes it.
   */
  static Path realResult(Path dir) throws Exception {
    try (SurgeApp a = app("pod-a");
        SurgeApp b = app("pod-b")) {
      Path scenario = dir.resolve("scenario.yaml");
      java.nio.file.Files.writeString(
          scenario,
          """
          profile: "ramp:0->40/2s,hold:40/2s"
          requests:
            - url: http://127.0.0.1:%d/api/work?cpuMillis=1
              weight: 2
            - url: http://127.0.0.1:%d/api/work?cpuMillis=1
              weight: 1
          """
              .formatted(a.port(), b.port()));
      Path out = dir.resolve("result.json");
      Cli.Result r =
          Cli.run(
              "run",
              "--scenario",
              scenario.toString(),
              "--progress",
              "off",
              "--out",
              out.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      ObjectMapper json = new ObjectMapper();
      ObjectNode result = (ObjectNode) json.readTree(out.toFile());
      ObjectNode scaling = result.putObject("scaling");
      ArrayNode timeline = scaling.putArray("timeline");
      ArrayNode simulated = scaling.putArray("simulated");
      int[] replicas = {1, 1, 3, 3, 1};
      for (int i = 0; i < replicas.length; i++) {
        timeline
            .addObject()
            .put("t", i)
            .put("currentReplicas", replicas[i])
            .put("desiredReplicas", replicas[i])
            .put("readyReplicas", Math.max(1, replicas[i] - 1));
        simulated.addObject().put("t", i).put("replicas", replicas[Math.max(0, i - 1)]);
      }
      scaling.put("scaleUpSeconds", 2.0);
      scaling.put("scaleDownSeconds", 2.0);
      json.writeValue(out.toFile(), result);
      return out;
    }
  }

  private static SurgeApp app(String instance) {
    return SurgeApp.start(
        AppConfig.parse(
            List.of(
                "--port",
                "0",
                "--metrics-port",
                "0",
                "--drain-delay",
                "0ms",
                "--instance",
                instance),
            Map.of()));
  }
}
