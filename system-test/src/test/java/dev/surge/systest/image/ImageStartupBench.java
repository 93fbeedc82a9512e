package dev.surge.systest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not a test (no {@code IT} suffix: the normal build does not run it); the image start-up benchmark
 * of docs/BENCHMARKS.md, run by {@code bench/image-startup.sh}: the app image built as {@link
 * ImageIT} builds it, run as the Deployment's pod ({@link Kubelet}, {@link Container}), timed from
 * the container's start to the first {@code /readyz} 200 (polled every 10 ms), in interleaved
 * rounds of: the image as built (the JDK's default CDS archive); with {@code -Xshare:off} (no CDS);
 * with an AppCDS archive that one training run of <em>the image's own JVM</em> wrote ({@code
 * -XX:ArchiveClassesAtExit}, 200 requests, SIGTERM) and that is then part of the root filesystem.
 * The archive is first proven usable by a start with {@code -Xshare:on}, which refuses to start on
 * an archive this JVM cannot map.
 */
class ImageStartupBench {
  private static final int STARTS = Integer.getInteger("surge.bench.starts", 5);
  private static final String ARCHIVE = "/app/cds/surge-app.jsa";

  @Test
  void readyTimeOfTheAppImage() throws Exception {
    List<ObjectNode> demo = Kustomize.render(RepoPaths.resolve("k8s/overlays/demo"));
    ObjectNode deployment = Kustomize.one(demo, "Deployment", "surge");
    JsonNode container = Kubelet.container(deployment, "app");
    String load0 = Files.readString(Path.of("/proc/loadavg")).trim();
    try (BuiltImages images = BuiltImages.build();
        PodNetwork network = PodNetwork.create()) {
      PodNetwork.Pod pod = network.addPod("surge-bench");
      Map<String, String> env =
          Kubelet.env(container, images.app, n -> Kustomize.one(demo, "ConfigMap", n));
      env.put("HOSTNAME", pod.name());
      String tool = env.get("JAVA_TOOL_OPTIONS");

      // training: the image's JVM writes the archive to a host directory
      Path out = Files.createDirectories(images.work.resolve("cds-out"));
      Commands.run(List.of("chmod", "777", out.toString()));
      Map<String, String> trainEnv = new LinkedHashMap<>(env);
      trainEnv.put("JAVA_TOOL_OPTIONS", tool + " -XX:ArchiveClassesAtExit=/cds-out/surge-app.jsa");
      try (Container train =
          start(
              images.appRootfs,
              images.app,
              images.work,
              deployment,
              container,
              pod,
              trainEnv,
              b -> b.writableBind(out, "/cds-out"))) {
        awaitReady(train, pod, Duration.ofSeconds(60));
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
          String path =
              i % 10 == 0 ? "/readyz" : i % 10 == 1 ? "/healthz" : "/api/work?cpuMillis=1";
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + pod.ip() + ":8080" + path)).build(),
              HttpResponse.BodyHandlers.discarding());
        }
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + pod.ip() + ":8081/metrics")).build(),
            HttpResponse.BodyHandlers.discarding());
        train.stop();
        assertThat(train.waitForExit(Duration.ofSeconds(60))).as(train.describe()).contains(0);
        System.out.println("training run output (CDS lines):");
        train
            .output()
            .lines()
            .filter(l -> l.contains("cds") || l.contains("CDS"))
            .limit(20)
            .forEach(l -> System.out.println("  " + l));
      }
      Path jsa = out.resolve("surge-app.jsa");
      assertThat(jsa).as("the archive the training run wrote").isRegularFile();
      System.out.printf("AppCDS archive: %.1f MB%n", Files.size(jsa) / 1e6);
      // the release's second build: the same image plus the archive layer and JDK_JAVA_OPTIONS
      Path cdsDir = Files.createDirectories(images.work.resolve("cds-layer"));
      Files.copy(jsa, cdsDir.resolve("surge-app.jsa"));
      JibImages.build(
          JreBase.tarball(RepoPaths.resolve("system-test/target/image-base")),
          images.work,
          "app",
          "image-tar,image-cds",
          List.of("-Dimage.cds.dir=" + cdsDir));
      ImageArchive cdsImage =
          ImageArchive.open(
              RepoPaths.resolve("app/target/surge-app-image.tar"),
              images.work.resolve("cds-image"));
      Path cdsRootfs = cdsImage.unpack(images.work.resolve("cds/rootfs"));
      Map<String, String> cdsEnv =
          Kubelet.env(container, cdsImage, n -> Kustomize.one(demo, "ConfigMap", n));
      cdsEnv.put("HOSTNAME", pod.name());
      assertThat(cdsEnv).containsEntry("JDK_JAVA_OPTIONS", "-XX:SharedArchiveFile=" + ARCHIVE);

      Map<String, Map<String, String>> variants = new LinkedHashMap<>();
      variants.put("image as built (JDK default CDS)", env);
      variants.put("-Xshare:off (no CDS)", with(env, tool + " -Xshare:off"));
      variants.put("image-cds build (AppCDS from its own JVM)", cdsEnv);

      // the archive is usable by this JVM (-Xshare:on refuses to start otherwise) and mapped
      try (Container check =
          start(
              cdsRootfs,
              cdsImage,
              images.work,
              deployment,
              container,
              pod,
              with(cdsEnv, tool + " -Xshare:on"),
              b -> {})) {
        awaitReady(check, pod, Duration.ofSeconds(60));
        assertThat(check.proc("maps")).as("the archive is mapped").contains(ARCHIVE);
        check.stop();
        assertThat(check.waitForExit(Duration.ofSeconds(60))).as(check.describe()).contains(0);
      }

      Map<String, List<Long>> millis = new LinkedHashMap<>();
      variants.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
      for (int round = 0; round < STARTS; round++) {
        for (var variant : variants.entrySet()) {
          long start = System.nanoTime();
          boolean cds = variant.getValue() == cdsEnv;
          try (Container c =
              start(
                  cds ? cdsRootfs : images.appRootfs,
                  cds ? cdsImage : images.app,
                  images.work,
                  deployment,
                  container,
                  pod,
                  variant.getValue(),
                  b -> {})) {
            awaitReady(c, pod, Duration.ofSeconds(60));
            millis.get(variant.getKey()).add((System.nanoTime() - start) / 1_000_000);
            c.stop();
            assertThat(c.waitForExit(Duration.ofSeconds(60))).as(c.describe()).contains(0);
          }
        }
      }
      String load1 = Files.readString(Path.of("/proc/loadavg")).trim();
      System.out.printf(
          "image start to first /readyz 200, %d starts each, interleaved; load average %s at the start, %s at the end%n",
          STARTS, load0, load1);
      for (var e : millis.entrySet()) {
        List<Long> sorted = e.getValue().stream().sorted().toList();
        System.out.printf(
            "  %-40s median %5d ms  (min %d, max %d)  %s%n",
            e.getKey(),
            sorted.get(sorted.size() / 2),
            sorted.get(0),
            sorted.get(sorted.size() - 1),
            e.getValue());
      }
    }
  }

  private static Map<String, String> with(Map<String, String> env, String javaToolOptions) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    return copy;
  }

  private static Container start(
      Path rootfs,
      ImageArchive image,
      Path work,
      JsonNode deployment,
      JsonNode container,
      PodNetwork.Pod pod,
      Map<String, String> env,
      java.util.function.Consumer<Container.Builder> extra)
      throws IOException {
    Container.Builder b =
        Container.builder(rootfs, pod).env(env).command(Kubelet.command(container, image));
    Kubelet.volumes(
        b,
        deployment,
        container,
        Map.of("surge-admin-token", Map.of("token", "bench")),
        work.resolve("app"));
    extra.accept(b);
    return b.start();
  }

  private static void awaitReady(Container c, PodNetwork.Pod pod, Duration atMost) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI ready = URI.create("http://" + pod.ip() + ":8080/readyz");
    await("ready")
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .ignoreExceptions()
        .until(
            () -> {
              if (!c.isAlive()) {
                throw new AssertionError(c.describe());
              }
              return http.send(
                          HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
  }
}
