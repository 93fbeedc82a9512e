package dev.surge.systest.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Not a test (no {@code IT} suffix: the normal build does not run it); the image start-up benchmark
 * of docs/BENCHMARKS.md, run by {@code bench/image-startup.sh}: the app image built as {@link
 * ImageIT} builds it, on two bases — jlinked from the JDK 17 that runs the build and from the JDK
 * 25 of the images ({@link JreBase#imageJdk()}: {@code SURGE_IMAGE_JDK} or {@code JAVA25}, else
 * Temurin 25) — run as the Deployment's pod ({@link AppImagePod}), timed from the container's start
 * to the first {@code /readyz} 200 (polled every 10 ms), in interleaved rounds of:
 *
 * <ul>
 *   <li>JDK 17 image as built (the JDK's default CDS archive);
 *   <li>JDK 17 image with an AppCDS archive that one training run of <em>that image's own JVM</em>
 *       wrote ({@code -XX:ArchiveClassesAtExit}), mounted at {@code /app/cds} and named by {@code
 *       JDK_JAVA_OPTIONS} (what the former {@code -Pimage-cds} build put in a layer);
 *   <li>JDK 25 image as built (its default CDS archive);
 *   <li>the {@code -Pimage-aot} build of the JDK 25 image: the same layers plus the AOT cache that
 *       one training run of that image's own JVM wrote ({@code -XX:AOTCacheOutput}).
 * </ul>
 *
 * <p>Each training run has the Deployment's classpath and {@code JAVA_TOOL_OPTIONS}, serves the
 * requests a pod serves and ends on SIGTERM. Each archive is first proven usable by a start that
 * refuses to run without it ({@code -Xshare:on}, {@code -XX:AOTMode=on}) and shows it mapped.
 */
class ImageStartupBench {
  private static final int STARTS = Integer.getInteger("surge.bench.starts", 5);
  private static final String CDS_DIR = "/app/cds";
  private static final String ARCHIVE = CDS_DIR + "/surge-app.jsa";
  private static final String CACHE = "/app/aot/surge-app.aot";

  private record Variant(
      Path rootfs,
      ImageArchive image,
      Map<String, String> env,
      Consumer<Container.Builder> extra) {}

  @Test
  void readyTimeOfTheAppImage() throws Exception {
    List<ObjectNode> demo = Kustomize.render(RepoPaths.resolve("k8s/overlays/demo"));
    Path jdk25 = JreBase.imageJdk();
    try (BuiltImages i17 = BuiltImages.build(JreBase.testJdk(), "17-");
        BuiltImages i25 = BuiltImages.build(jdk25, "25-");
        PodNetwork network = PodNetwork.create()) {
      AppImagePod pod = AppImagePod.of(demo, network.addPod("surge-bench"), i25.work);
      Map<String, String> env17 = pod.env(i17.app);
      Map<String, String> env25 = pod.env(i25.app);

      // JDK 17: an AppCDS archive from the image's own JVM, mounted where -Pimage-cds put it
      Path jsa = pod.train(i17.appRootfs, i17.app, "-XX:ArchiveClassesAtExit=", "surge-app.jsa");
      Path cdsDir = Files.createDirectories(i17.work.resolve("cds-layer"));
      Files.copy(jsa, cdsDir.resolve("surge-app.jsa"), StandardCopyOption.REPLACE_EXISTING);
      Map<String, String> env17cds = new LinkedHashMap<>(env17);
      env17cds.put("JDK_JAVA_OPTIONS", "-XX:SharedArchiveFile=" + ARCHIVE);
      Consumer<Container.Builder> cdsMount = b -> b.readOnlyBind(cdsDir, CDS_DIR);

      // JDK 25: an AOT cache from the image's own JVM, built into the image by -Pimage-aot
      Path aot = pod.train(i25.appRootfs, i25.app, "-XX:AOTCacheOutput=", "surge-app.aot");
      BuiltImages.AppImage aotImage = i25.appWithAotCache(aot, "bench");
      Map<String, String> env25aot = pod.env(aotImage.image());
      assertThat(env25aot).containsEntry("JDK_JAVA_OPTIONS", "-XX:AOTCache=" + CACHE);

      Map<String, Variant> variants = new LinkedHashMap<>();
      variants.put(
          "JDK 17 image, default CDS", new Variant(i17.appRootfs, i17.app, env17, b -> {}));
      variants.put(
          "JDK 17 image + AppCDS (own JVM)",
          new Variant(i17.appRootfs, i17.app, env17cds, cdsMount));
      variants.put(
          "JDK 25 image, default CDS", new Variant(i25.appRootfs, i25.app, env25, b -> {}));
      variants.put(
          "JDK 25 image-aot build (AOT cache, own JVM)",
          new Variant(aotImage.rootfs(), aotImage.image(), env25aot, b -> {}));

      // each archive is usable by its JVM (these modes refuse to start otherwise) and mapped
      proveMapped(pod, variants.get("JDK 17 image + AppCDS (own JVM)"), "-Xshare:on", ARCHIVE);
      proveMapped(
          pod,
          variants.get("JDK 25 image-aot build (AOT cache, own JVM)"),
          "-XX:AOTMode=on",
          CACHE);

      String uptime0 = uptime();
      Map<String, List<Long>> millis = new LinkedHashMap<>();
      variants.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
      for (int round = 0; round < STARTS; round++) {
        for (var variant : variants.entrySet()) {
          Variant v = variant.getValue();
          long start = System.nanoTime();
          try (Container c = pod.start(v.rootfs(), v.image(), v.env(), v.extra())) {
            pod.awaitReady(c, Duration.ofSeconds(60));
            millis.get(variant.getKey()).add((System.nanoTime() - start) / 1_000_000);
            AppImagePod.stopCleanly(c);
          }
        }
      }
      System.out.printf(
          "image start to first /readyz 200, %d starts each, interleaved (JDK 17: %s, JDK 25:"
              + " %s)%n  uptime at the start: %s%n  uptime at the end:   %s%n",
          STARTS,
          JreBase.release(JreBase.testJdk()).get("JAVA_RUNTIME_VERSION"),
          JreBase.release(jdk25).get("JAVA_RUNTIME_VERSION"),
          uptime0,
          uptime());
      long base = 0;
      for (var e : millis.entrySet()) {
        List<Long> sorted = e.getValue().stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        if (base == 0) {
          base = median;
        }
        System.out.printf(
            "  %-44s median %5d ms (%.2f of the first row)  min %d  max %d  %s%n",
            e.getKey(),
            median,
            (double) median / base,
            sorted.get(0),
            sorted.get(sorted.size() - 1),
            e.getValue());
      }
    }
  }

  private static void proveMapped(AppImagePod pod, Variant v, String strict, String file) {
    try (Container check =
        pod.start(v.rootfs(), v.image(), AppImagePod.withToolOptions(v.env(), strict), v.extra())) {
      pod.awaitReady(check, Duration.ofSeconds(60));
      assertThat(check.proc("maps")).as("%s is mapped (%s)", file, strict).contains(file);
      AppImagePod.stopCleanly(check);
    }
  }

  private static String uptime() {
    return Commands.run(List.of("uptime")).stdout().trim();
  }
}
