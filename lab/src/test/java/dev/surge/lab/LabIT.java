package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.testkit.Chromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab end to end: the shaded jar as a process, the real app jar as pods, the shipped HPA with
 * {@code --fast} timing, load through the Service. The CPU request is lowered to 100m (a flag the
 * lab has for this) so that four pods' worth of load fits a busy 2-core CI machine.
 */
class LabIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SYNC = 5;

  /** ~120m of CPU through the Service: 3-4 pods at 70% of 50m; then a trickle for the scale-in. */
  private static final String RATE = "12";

  private static final double HOLD_END = 55;

  private static List<String> common(Path dir) {
    return List.of(
        "run",
        "--fast",
        "--cpu-request",
        "50m",
        "--path",
        "/api/work?cpuMillis=10",
        // 800 ms of waiting per request keeps ~10 connections busy, so balancing is measurable.
        "--pod-arg=--added-latency=800ms",
        // A busy CI machine may stall a JVM for seconds: a slow response is not the failure we
        // test.
        "--timeout",
        "120s",
        "--idle-timeout",
        "60s",
        // At most 4 pods: with N pods a fair share is 1/N, and the >= 15 % floor per pod below
        // means something only while 1/N is well above it.
        "--replica-cap",
        "4",
        "--progress",
        "lines",
        "--work-dir",
        dir.resolve("logs").toString());
  }

  @Test
  void scalesOutAndBackWithoutAFailedRequestAndEveryPodServesWithMaxConnectionAge(@TempDir Path dir)
      throws Exception {
    Path result = dir.resolve("result.json");
    List<String> args = new java.util.ArrayList<>(common(dir));
    args.addAll(
        List.of(
            "--profile",
            "ramp:0->" + RATE + "/10s,hold:" + RATE + "/45s,hold:1/50s",
            "--max-connection-age",
            "1s",
            "--out",
            result.toString(),
            "--report",
            dir.resolve("report.html").toString()));
    try (LabProcess lab = LabProcess.start(dir, args)) {
      int exit = lab.waitFor(300);
      assertThat(exit).as(lab.text()).isZero();
      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();

      JsonNode r = JSON.readTree(result.toFile());
      JsonNode summary = r.path("summary");
      assertThat(summary.path("errors").asLong()).as(lab.text()).isZero();
      assertThat(summary.path("dropped").asLong()).isZero();
      assertThat(summary.path("unfinished").asLong()).isZero();
      assertThat(summary.path("ok").asLong()).isEqualTo(summary.path("requests").asLong());

      JsonNode scaling = r.path("scaling");
      assertThat(scaling.path("source").asText()).isEqualTo("lab");
      JsonNode timeline = scaling.path("timeline");
      int peak = max(timeline, "currentReplicas");
      assertThat(peak).as(lab.text()).isGreaterThanOrEqualTo(3);
      assertThat(timeline.get(timeline.size() - 1).path("currentReplicas").asInt())
          .as("back at minReplicas at the end\n" + lab.text())
          .isEqualTo(2);
      assertThat(timeline.get(0).has("utilizationPercent")).isTrue();
      assertThat(timeline.get(0).has("reason")).isTrue();
      // Why it scaled: every sync names its driver and each metric's reading and proposal.
      JsonNode up = null;
      for (JsonNode e : timeline) {
        if (e.path("desiredReplicas").asInt() > 2 && up == null) {
          up = e;
        }
      }
      assertThat(up).as(lab.text()).isNotNull();
      assertThat(up.path("driver").asText()).isEqualTo("cpu");
      assertThat(up.path("metrics").get(0).path("metric").asText()).isEqualTo("cpu");
      assertThat(up.path("metrics").get(0).path("unit").asText()).isEqualTo("%");
      assertThat(up.path("metrics").get(0).path("proposal").asInt()).isGreaterThan(2);
      assertThat(up.path("metrics").get(0).path("current").asDouble())
          .isGreaterThan(up.path("metrics").get(0).path("target").asDouble());

      // The cost agrees with the timeline: requested core-seconds = replicas x time x request,
      // give or take the pods that drain after leaving the count and the first sync's offset.
      JsonNode cost = r.path("cost");
      double fromTimeline = 0;
      for (int i = 0; i + 1 < timeline.size(); i++) {
        fromTimeline +=
            timeline.get(i).path("currentReplicas").asInt()
                * (timeline.get(i + 1).path("t").asDouble() - timeline.get(i).path("t").asDouble())
                * 0.05;
      }
      assertThat(cost.path("requestedCoreSeconds").asDouble())
          .as("cost %s vs timeline %s\n%s", cost, fromTimeline, lab.text())
          .isBetween(fromTimeline * 0.85, fromTimeline * 1.35);
      assertThat(cost.path("peakReplicas").asInt()).isGreaterThanOrEqualTo(peak);
      assertThat(cost.path("staticAtPeak").path("cost").asDouble())
          .isGreaterThan(cost.path("cost").asDouble());
      assertThat(cost.path("currency").asText()).isEqualTo("USD");
      assertThat(lab.text()).contains("cost     autoscaled cost ");

      JsonNode simulated = scaling.path("simulated");
      assertThat(Math.abs(peak - max(simulated, "replicas"))).isLessThanOrEqualTo(1);
      double observedUp = firstAbove(timeline, "desiredReplicas", 2);
      double simulatedUp = firstAbove(simulated, "replicas", 2);
      assertThat(Math.abs(observedUp - simulatedUp))
          .as("first scale-up observed %ss vs simulated %ss", observedUp, simulatedUp)
          .isLessThanOrEqualTo(2.0 * SYNC);

      // The plateau: from when the last pod of the peak turned ready to the end of the hold.
      Map<String, Double> readyAt = lab.readyAt();
      double plateauStart =
          readyAt.values().stream().mapToDouble(Double::doubleValue).max().orElse(0) + 2;
      assertThat(HOLD_END - plateauStart).as("plateau length").isGreaterThanOrEqualTo(10);
      Map<String, Long> served = served(r, plateauStart, HOLD_END);
      long total = served.values().stream().mapToLong(Long::longValue).sum();
      for (String pod : readyAt.keySet()) {
        assertThat(served.getOrDefault(pod, 0L) / (double) total)
            .as("share of %s during the plateau %s", pod, served)
            .isGreaterThanOrEqualTo(0.15);
      }

      // The report of this lab result, rendered by headless Chromium.
      String html = Files.readString(dir.resolve("report.html"));
      assertThat(html)
          .contains("Observed in the lab")
          .contains("observed current")
          .contains("observed ready")
          .contains("simulated");
      Path png = dir.resolve("report.png");
      assertThat(Chromium.screenshot(dir.resolve("report.html"), png)).as(lab.text()).isZero();
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(Chromium.pixelsOf(image, 0x2563eb)).as("observed series drawn").isGreaterThan(200);
    }
  }

  @Test
  void withoutMaxConnectionAgeNewPodsStayStarvedAndSigtermLeavesNoPod(@TempDir Path dir)
      throws Exception {
    Path result = dir.resolve("result.json");
    List<String> args = new java.util.ArrayList<>(common(dir));
    args.addAll(
        List.of(
            "--profile",
            "ramp:0->" + RATE + "/10s,hold:" + RATE + "/170s",
            "--out",
            result.toString()));
    try (LabProcess lab = LabProcess.start(dir, args)) {
      // 15 s of load after a third pod became ready: the connections stay where they were opened.
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> plateauSeconds(lab) >= 15 || !lab.process.isAlive());
      assertThat(lab.process.isAlive()).as(lab.text()).isTrue();
      Map<String, Long> pids = lab.pids();
      assertThat(pids).hasSizeGreaterThanOrEqualTo(3);

      new ProcessBuilder("kill", "-TERM", Long.toString(lab.process.pid())).start().waitFor();
      int exit = lab.waitFor(90);
      assertThat(exit).as(lab.text()).isNotEqualTo(70);
      assertThat(lab.livePods()).as("app processes left after SIGTERM to the lab").isEmpty();

      JsonNode r = JSON.readTree(result.toFile());
      Map<String, Double> readyAt = lab.readyAt();
      double third =
          readyAt.values().stream()
              .mapToDouble(Double::doubleValue)
              .sorted()
              .skip(2)
              .findFirst()
              .orElseThrow();
      Map<String, Long> served = served(r, third + 2, Double.MAX_VALUE);
      long total = served.values().stream().mapToLong(Long::longValue).sum();
      double smallest =
          readyAt.entrySet().stream()
              .filter(e -> e.getValue() <= third)
              .mapToDouble(e -> served.getOrDefault(e.getKey(), 0L) / (double) total)
              .min()
              .orElseThrow();
      assertThat(smallest)
          .as("keep-alive pins connections to the first pods: shares %s", served)
          .isLessThan(0.10);
      assertThat(r.path("summary").path("errors").asLong()).isZero();
    }
  }

  /** Seconds of progress since a third pod became ready. */
  private static double plateauSeconds(LabProcess lab) {
    List<double[]> rows = lab.progress();
    Double since = null;
    double last = 0;
    for (double[] row : rows) {
      last = row[0];
      if (since == null && row[1] >= 3) {
        since = row[0];
      }
    }
    return since == null ? 0 : last - since;
  }

  private static int max(JsonNode array, String key) {
    int m = 0;
    for (JsonNode n : array) {
      m = Math.max(m, n.path(key).asInt());
    }
    return m;
  }

  private static double firstAbove(JsonNode array, String key, int value) {
    for (JsonNode n : array) {
      if (n.path(key).asInt() > value) {
        return n.path("t").asDouble();
      }
    }
    throw new AssertionError("never above " + value + ": " + array);
  }

  /** Responses per pod in the intervals ending within (from, to]. */
  private static Map<String, Long> served(JsonNode result, double from, double to) {
    Map<String, Long> m = new TreeMap<>();
    for (JsonNode i : result.path("intervals")) {
      double t = i.path("t").asDouble();
      if (t > from && t <= to) {
        for (Map.Entry<String, JsonNode> e : i.path("backends").properties()) {
          m.merge(e.getKey(), e.getValue().asLong(), Long::sum);
        }
      }
    }
    return m;
  }
}
