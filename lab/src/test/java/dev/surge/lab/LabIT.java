package dev.surge.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.testkit.Chromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab end to end: the shaded jar as a process, the real app jar as pods, the shipped HPA with
 * {@code --fast} timing, load through the Service. The CPU request is lowered to 50m (a flag the
 * lab has for this) so that four pods' worth of load fits a busy 2-core CI machine ({@link
 * LabProcess.Builder#scaleOut()}).
 *
 * <p>The scale-out run is also the live page's test: it runs with {@code --ui}, and real headless
 * Chromiums watch it ({@link LivePageWatch}: one from the start, one that connects after the
 * scale-out, one that opens the report), so one lab run proves both.
 */
class LabIT {
  private static final int SYNC = 5;

  /** ~120m of CPU through the Service: 3-4 pods at 70% of 50m; then a trickle for the scale-in. */
  private static final String RATE = "12";

  private static final double HOLD_END = 55;

  @Test
  void scalesOutAndBackWithoutAFailedRequestAndEveryPodServesWithMaxConnectionAgeWatchedLive(
      @TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.html");
    try (LabProcess lab =
            LabProcess.builder(dir)
                .ui()
                .scaleOut()
                .profile("ramp:0->" + RATE + "/10s,hold:" + RATE + "/45s,hold:1/50s")
                .args("--max-connection-age", "1s")
                .report()
                .start();
        LivePageWatch live = LivePageWatch.open(dir, lab)) {
      live.followScaleOut();
      int exit = lab.waitFor(360);
      assertThat(exit).as(lab.text()).isZero();
      assertThat(lab.livePods()).as("app processes left after the lab ended").isEmpty();

      JsonNode r = lab.result();
      JsonNode summary = r.path("summary");
      assertThat(summary.path("errors").asLong()).as(lab.text()).isZero();
      assertThat(summary.path("dropped").asLong()).isZero();
      assertThat(summary.path("unfinished").asLong()).isZero();
      assertThat(summary.path("ok").asLong()).isEqualTo(summary.path("requests").asLong());

      JsonNode scaling = r.path("scaling");
      assertThat(scaling.path("source").asText()).isEqualTo("lab");
      JsonNode timeline = scaling.path("timeline");
      int peak = LabProcess.max(timeline, "currentReplicas");
      assertThat(peak).as(lab.text()).isGreaterThanOrEqualTo(3);
      assertThat(timeline.get(timeline.size() - 1).path("currentReplicas").asInt())
          .as("back at minReplicas at the end\n" + lab.text())
          .isEqualTo(2);
      assertThat(timeline.get(0).has("utilizationPercent")).isTrue();
      assertThat(timeline.get(0).has("reason")).isTrue();
      // The scale-out's speed: each pod's process start to first Ready, with the archive it used
      // (this JVM is a 17: AppCDS), one entry per pod that became ready, the scaled-out ones too.
      JsonNode labPart = scaling.path("lab");
      assertThat(labPart.path("startupArchive").asText()).isEqualTo("appcds");
      JsonNode startups = labPart.path("podStartups");
      assertThat(startups.size()).as(lab.text()).isGreaterThanOrEqualTo(peak);
      for (JsonNode s : startups) {
        assertThat(s.path("pod").asText()).startsWith("surge-");
        assertThat(s.path("archive").asText()).isEqualTo("appcds");
        double app = s.path("appSeconds").asDouble();
        assertThat(app).isGreaterThan(0);
        // Ready on the startup probe's next 1 s tick after the app is: within a period of it.
        assertThat(s.path("seconds").asDouble()).isBetween(app, app + 1.0 + 0.5);
      }
      // Why it scaled: every sync names its driver and each metric's reading and proposal.
      JsonNode up = LabProcess.firstAbove(timeline, "desiredReplicas", 2);
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
      assertThat(Math.abs(peak - LabProcess.max(simulated, "replicas"))).isLessThanOrEqualTo(1);
      double observedUp = timeAbove(timeline, "desiredReplicas", 2);
      double simulatedUp = timeAbove(simulated, "replicas", 2);
      assertThat(Math.abs(observedUp - simulatedUp))
          .as("first scale-up observed %ss vs simulated %ss", observedUp, simulatedUp)
          .isLessThanOrEqualTo(2.0 * SYNC);

      // The plateau: from when the last pod of the peak turned ready to the end of the hold.
      Map<String, Double> readyAt = lab.readyAt();
      double plateauStart =
          readyAt.values().stream().mapToDouble(Double::doubleValue).max().orElse(0) + 2;
      assertThat(HOLD_END - plateauStart).as("plateau length").isGreaterThanOrEqualTo(10);
      Map<String, Long> served = LabProcess.served(r, plateauStart, HOLD_END);
      long total = served.values().stream().mapToLong(Long::longValue).sum();
      for (String pod : readyAt.keySet()) {
        assertThat(served.getOrDefault(pod, 0L) / (double) total)
            .as("share of %s during the plateau %s", pod, served)
            .isGreaterThanOrEqualTo(0.15);
      }

      // The report of this lab result, rendered by headless Chromium.
      String html = Files.readString(report);
      assertThat(html)
          .contains("Observed in the lab")
          .contains("observed current")
          .contains("observed ready")
          .contains("simulated");
      Path png = dir.resolve("report.png");
      assertThat(Chromium.screenshot(report, png)).as(lab.text()).isZero();
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(Chromium.pixelsOf(image, 0x2563eb)).as("observed series drawn").isGreaterThan(200);

      // What the browsers saw of the same run, and the report in a browser.
      live.afterTheRun(r, report);
    }
  }

  @Test
  void withoutMaxConnectionAgeNewPodsStayStarvedAndSigtermLeavesNoPod(@TempDir Path dir)
      throws Exception {
    try (LabProcess lab =
        LabProcess.builder(dir)
            .scaleOut()
            .profile("ramp:0->" + RATE + "/10s,hold:" + RATE + "/170s")
            .start()) {
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

      JsonNode r = lab.result();
      Map<String, Double> readyAt = lab.readyAt();
      double third =
          readyAt.values().stream()
              .mapToDouble(Double::doubleValue)
              .sorted()
              .skip(2)
              .findFirst()
              .orElseThrow();
      Map<String, Long> served = LabProcess.served(r, third + 2, Double.MAX_VALUE);
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

  /** The time of the first entry whose {@code key} is above {@code value}. */
  private static double timeAbove(JsonNode array, String key, int value) {
    JsonNode n = LabProcess.firstAbove(array, key, value);
    if (n == null) {
      throw new AssertionError("never above " + value + ": " + array);
    }
    return n.path("t").asDouble();
  }
}
