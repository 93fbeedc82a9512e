package dev.surge.systest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.operator.ScrapeJobs;
import dev.surge.cluster.prometheus.PrometheusProcess;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images as a cluster would run them, proven here without a registry or a container engine: a
 * base assembled from a JDK 25 on this machine, the images' JVM ({@link JreBase#imageJdk()}), both
 * images built by the project's Jib configuration onto it ({@link JibImages}), their configs
 * checked against the rendered demo overlay's Deployment and Job, and their unpacked root
 * filesystems run as the kubelet and runc would ({@link Kubelet}, {@link Container}: read-only
 * root, tmpfs emptyDirs, uid 10001, the manifests' args and env) on a bridge pod network ({@link
 * PodNetwork}) — probes, a real Prometheus scraping with the ServiceMonitor's config, a two-shard
 * load Job against the app, and a drain on SIGTERM under load with no failed request; and the app
 * image's AOT cache, trained by the image's own JVM, used, and a stale one survived.
 *
 * <p>Needs root (namespaces, mounts, chroot), as CI has. Run alone: {@code ./mvnw -B verify
 * -Dit.test=ImageIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -pl system-test -am}.
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TERMINATION_SLACK = Duration.ofSeconds(10);

  private static BuiltImages images;
  private static Path work;
  private static List<ObjectNode> demo;
  private static ObjectNode deployment;
  private static ObjectNode job;
  private static ImageArchive app;
  private static ImageArchive loadgen;
  private static Path appRootfs;
  private static Path loadgenRootfs;

  @BeforeAll
  static void buildImages() {
    images = BuiltImages.build();
    work = images.work;
    app = images.app;
    loadgen = images.loadgen;
    appRootfs = images.appRootfs;
    loadgenRootfs = images.loadgenRootfs;
    demo = Kustomize.render(RepoPaths.resolve("k8s/overlays/demo"));
    deployment = Kustomize.one(demo, "Deployment", "surge");
    job = Kustomize.one(demo, "Job", "surge-loadgen");
  }

  @AfterAll
  static void removeWork() {
    if (images != null) {
      images.close();
    }
  }

  @Test
  void appImageConfigIsWhatTheDeploymentExpects() {
    assertConfigFits(app, deployment, "app", appRootfs, "dev.surge.app.Main");
  }

  @Test
  void loadgenImageConfigIsWhatTheJobExpects() {
    assertConfigFits(loadgen, job, "loadgen", loadgenRootfs, "dev.surge.loadgen.Main");
  }

  @Test
  void sbomListsEveryLibraryInTheImage() throws IOException {
    for (var image : List.of(Map.entry("app", appRootfs), Map.entry("loadgen", loadgenRootfs))) {
      Path bom = RepoPaths.resolve(image.getKey() + "/target/bom.json");
      assertThat(bom).as("the CycloneDX SBOM of the normal build").isRegularFile();
      JsonNode sbom = JSON.readTree(bom.toFile());
      assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
      Set<String> components = new TreeSet<>();
      sbom.path("components")
          .forEach(c -> components.add(c.path("name").asText() + "-" + c.path("version").asText()));
      Set<String> jars = new TreeSet<>();
      try (Stream<Path> libs = Files.list(image.getValue().resolve("app/libs"))) {
        libs.map(p -> p.getFileName().toString().replaceFirst("\\.jar$", "")).forEach(jars::add);
      }
      assertThat(jars).as("jars in %s's /app/libs", image.getKey()).isNotEmpty();
      // jackson-annotations' jar is named by its 2.21 line, its version in the SBOM is 2.21
      assertThat(components)
          .as("SBOM %s covers every jar in the image's /app/libs", bom)
          .containsAll(jars);
    }
  }

  /**
   * The app image run as the Deployment's pod, and the load Job's two pods against it: probes, user
   * and read-only root, a real Prometheus scrape, the load run, the drain under load.
   */
  @Test
  void imagesRunAsTheKubeletWouldRunThem() throws Exception {
    JsonNode appContainer = Kubelet.container(deployment, "app");
    String token = HexFormat.of().formatHex(randomBytes());
    String appPodName =
        "surge-7d9f8c6b5-" + HexFormat.of().formatHex(randomBytes()).substring(0, 5);
    try (PodNetwork network = PodNetwork.create()) {
      PodNetwork.Pod appPod = network.addPod(appPodName);
      PodNetwork.Pod shard0 = network.addPod("surge-loadgen-0");
      PodNetwork.Pod shard1 = network.addPod("surge-loadgen-1");
      Container.Builder appBuilder =
          Container.builder(appRootfs, appPod)
              .user(
                  uid(deployment, appContainer, "runAsUser"),
                  uid(deployment, appContainer, "runAsGroup"))
              .env(withPodEnv(Kubelet.env(appContainer, app, this::configMap), appPodName))
              .command(Kubelet.command(appContainer, app));
      Kubelet.volumes(
          appBuilder,
          deployment,
          appContainer,
          Map.of("surge-admin-token", Map.of("token", token)),
          work.resolve("app"));
      try (Container appRun = appBuilder.start()) {
        awaitProbe(appRun, appContainer, "startupProbe", appPod);
        awaitProbe(appRun, appContainer, "readinessProbe", appPod);
        assertThat(Kubelet.probe(appContainer, appContainer.path("livenessProbe"), appPod.ip()))
            .as(appRun.describe())
            .isTrue();
        assertRunsAsThePodSpecSays(appRun);

        assertPrometheusScrapes(appPod, appPodName);
        assertLoadJobRuns(appPod, appPodName, shard0, shard1);
        assertDrainsUnderLoad(appRun, appPod);
      }
    }
  }

  /**
   * The release's app image (issue 21): the {@code -Pimage-aot} build carries a JDK 25 AOT cache
   * that one training run of the image's own JVM wrote (the Deployment's classpath and {@code
   * JAVA_TOOL_OPTIONS}, SIGTERM), and the JVM loads the app's classes from it; with a cache it
   * cannot use — truncated, or written by another JVM build (the host's JDK 25, as when the base
   * image moves under an old cache) — the same image warns, starts and gets ready, and drains.
   */
  @Test
  void appImageUsesItsAotCacheAndStartsWithAStaleOne() throws Exception {
    try (PodNetwork network = PodNetwork.create()) {
      AppImagePod pod = AppImagePod.of(demo, network.addPod("surge-aot"), work);
      Path cache = pod.train(appRootfs, app, "-XX:AOTCacheOutput=", "surge-app.aot");
      BuiltImages.AppImage aot = images.appWithAotCache(cache, "it");
      Map<String, String> env = pod.env(aot.image());
      assertThat(env)
          .as("the image-aot build's Env")
          .containsEntry("JDK_JAVA_OPTIONS", "-XX:AOTCache=" + BuiltImages.AOT_CACHE)
          .containsEntry("JAVA_TOOL_OPTIONS", app.env().get("JAVA_TOOL_OPTIONS"));
      assertThat(aot.rootfs().resolve(BuiltImages.AOT_CACHE.substring(1)))
          .hasSameBinaryContentAs(cache);

      // trained: the app's own classes come from the cache, which is mapped
      try (Container c =
          pod.start(
              aot.rootfs(), aot.image(), AppImagePod.withToolOptions(env, CLASS_LOAD), b -> {})) {
        pod.awaitReady(c, Duration.ofSeconds(60));
        assertThat(c.proc("maps")).as("the cache is mapped").contains(BuiltImages.AOT_CACHE);
        AppImagePod.stopCleanly(c);
        String out = c.output();
        assertThat(out).as(c.describe()).contains(MAIN_LOADED + "shared objects file");
        long fromCache =
            out.lines()
                .filter(l -> l.contains(" dev.surge.") && l.endsWith("source: shared objects file"))
                .count();
        assertThat(fromCache).as("surge classes from the AOT cache").isGreaterThan(50);
        System.out.printf("ImageIT: AOT cache: %d surge classes from the cache%n", fromCache);
      }

      // stale: the JVM says it cannot use the cache, starts without it, gets ready, drains
      Path truncated = Files.createDirectories(work.resolve("aot-stale-truncated"));
      byte[] bytes = Files.readAllBytes(cache);
      Files.write(
          truncated.resolve("surge-app.aot"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
      Path otherJvm = Files.createDirectories(work.resolve("aot-stale-other-jvm"));
      Path jdk = JreBase.imageJdk();
      Commands.Result trained =
          Commands.run(
              List.of(
                  jdk.resolve("bin/java").toString(),
                  "-XX:AOTCacheOutput=" + otherJvm.resolve("surge-app.aot"),
                  "-cp",
                  RepoPaths.resolve("app/target/surge-app.jar").toString(),
                  "dev.surge.app.Main",
                  "--help"),
              work,
              Map.of(),
              Duration.ofMinutes(2));
      assertThat(otherJvm.resolve("surge-app.aot"))
          .as("a cache from %s: %s", jdk, trained.describe())
          .isRegularFile();
      for (Path stale : List.of(truncated, otherJvm)) {
        try (Container c =
            pod.start(
                aot.rootfs(),
                aot.image(),
                AppImagePod.withToolOptions(env, CLASS_LOAD),
                b -> b.readOnlyBind(stale, "/app/aot"))) {
          pod.awaitReady(c, Duration.ofSeconds(60));
          AppImagePod.stopCleanly(c);
          String out = c.output();
          assertThat(out)
              .as("%s: the JVM warns that it cannot use the cache; %s", stale, c.describe())
              .containsPattern("\\[(warning|error) *\\]\\[aot *\\]");
          assertThat(out)
              .as("%s: the app's classes come from its jar", stale)
              .contains(MAIN_LOADED + "file:/app/");
        }
      }
    }
  }

  private static final String CLASS_LOAD = "-Xlog:class+load=info:stdout";
  private static final String MAIN_LOADED = "dev.surge.app.Main source: ";

  private static void assertConfigFits(
      ImageArchive image, JsonNode workload, String containerName, Path rootfs, String mainClass) {
    JsonNode container = Kubelet.container(workload, containerName);
    String image0 = container.path("image").asText();
    assertThat(image.repoTags()).as("the tarball's name is the manifest's image").contains(image0);
    assertThat(image.config().path("architecture").asText()).isEqualTo(JreBase.architecture());
    assertThat(image.config().path("os").asText()).isEqualTo("linux");

    // user: numeric, the manifests' runAsUser:runAsGroup, so runAsNonRoot can be verified
    assertThat(image.user())
        .isEqualTo(
            uid(workload, container, "runAsUser") + ":" + uid(workload, container, "runAsGroup"));
    assertThat(Kubelet.security(workload, container, "runAsNonRoot").asBoolean()).isTrue();

    // ports: exactly the containerPorts
    Set<String> ports = new TreeSet<>();
    container
        .path("ports")
        .forEach(
            p ->
                ports.add(
                    p.path("containerPort").asInt()
                        + "/"
                        + p.path("protocol").asText("TCP").toLowerCase(java.util.Locale.ROOT)));
    assertThat(image.exposedPorts()).isEqualTo(ports);

    // entrypoint: the manifests give only args, so the image's entrypoint is what runs; its java is
    // on the image's PATH, and the classpath file it reads is in the image
    assertThat(container.has("command"))
        .as("the manifest leaves the entrypoint to the image")
        .isFalse();
    List<String> entrypoint = image.entrypoint();
    assertThat(entrypoint)
        .as("Entrypoint of %s", image.tarball())
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", mainClass);
    String path = image.env().get("PATH");
    assertThat(path).as("image PATH").isNotNull();
    assertThat(
            Stream.of(path.split(":"))
                .map(dir -> rootfs.resolve(dir.substring(1)).resolve("java"))
                .anyMatch(Files::isRegularFile))
        .as("java on the image's PATH %s", path)
        .isTrue();
    assertThat(rootfs.resolve("app/jib-classpath-file")).isRegularFile();
    // the project's own jars in the image are this build's
    List<Path> jars = new ArrayList<>();
    for (String dir : List.of("app/libs", "app/classpath")) {
      try (Stream<Path> libs = Files.list(rootfs.resolve(dir))) {
        libs.forEach(jars::add);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    for (Path lib :
        jars.stream().filter(p -> p.getFileName().toString().startsWith("surge-")).toList()) {
      String name = lib.getFileName().toString();
      Path built =
          RepoPaths.resolve(
              name.replaceFirst("^surge-(.*)-[0-9.]+\\.jar$", "$1") + "/target/" + name);
      assertThat(JreBase.sha256(lib))
          .as("%s in the image is %s", name, built)
          .isEqualTo(JreBase.sha256(built));
    }

    // env: every value the manifest sets for the JVM is the image's own default, so a bare
    // `docker run` behaves like the pod
    Map<String, String> manifestEnv = new LinkedHashMap<>();
    container
        .path("env")
        .forEach(e -> manifestEnv.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(manifestEnv).containsKey("JAVA_TOOL_OPTIONS");
    assertThat(image.env().get("JAVA_TOOL_OPTIONS"))
        .isEqualTo(manifestEnv.get("JAVA_TOOL_OPTIONS"));

    // the emptyDir mount paths are directories the image does not need to write elsewhere
    assertThat(Kubelet.security(workload, container, "readOnlyRootFilesystem").asBoolean())
        .isTrue();

    Map<String, String> labels = image.labels();
    assertThat(labels)
        .containsEntry("org.opencontainers.image.version", System.getProperty("surge.version"))
        .containsEntry("org.opencontainers.image.revision", gitHead())
        .containsKey("org.opencontainers.image.source")
        .containsKey("org.opencontainers.image.created");
    assertThat(labels.get("org.opencontainers.image.source")).startsWith("https://github.com/");
  }

  private static void assertRunsAsThePodSpecSays(Container appRun) {
    String status = appRun.proc("status");
    assertThat(status).as("uid of the running JVM").containsPattern("(?m)^Uid:\\s+10001\\s+10001");
    assertThat(status).as("gid of the running JVM").containsPattern("(?m)^Gid:\\s+10001\\s+10001");
    assertThat(status).as("no-new-privileges").containsPattern("(?m)^NoNewPrivs:\\s+1");
    assertThat(status).as("no capabilities left").containsPattern("(?m)^CapEff:\\s+0+$");
    Map<String, String> mounts = new LinkedHashMap<>();
    for (String line : appRun.proc("mountinfo").split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 5) {
        mounts.put(f[4], f[5]);
      }
    }
    assertThat(mounts.get("/")).as("root mount options %s", mounts).startsWith("ro");
    assertThat(mounts.get("/tmp")).as("/tmp (emptyDir) mount options %s", mounts).startsWith("rw");
    assertThat(mounts.get("/var/run/secrets/surge-admin"))
        .as("the admin token Secret volume %s", mounts)
        .startsWith("ro");
  }

  private static void assertPrometheusScrapes(PodNetwork.Pod appPod, String appPodName) {
    ObjectNode serviceMonitor = Kustomize.one(demo, "ServiceMonitor", "surge");
    ObjectNode service = Kustomize.one(demo, "Service", "surge");
    int metricsPort =
        Kubelet.port(
            Kubelet.container(deployment, "app"), JSON.getNodeFactory().textNode("metrics"));
    ObjectNode scrape =
        ScrapeJobs.serviceMonitor(
            serviceMonitor, service, 0, appPod.ip() + ":" + metricsPort, appPodName, "app", "1s");
    try (PrometheusProcess prometheus =
        PrometheusProcess.builder()
            .binary(Tools.require("prometheus", "prometheus"))
            .scrapeConfig(scrape)
            .start()) {
      await("Prometheus scrapes the app image's metrics port")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                List<PrometheusProcess.Target> targets = prometheus.targets();
                assertThat(targets).as(prometheus.configText()).hasSize(1);
                assertThat(targets.get(0).health())
                    .as("%s: %s", targets.get(0).scrapeUrl(), targets.get(0).lastError())
                    .isEqualTo("up");
                assertThat(
                        prometheus.query(
                            "count({__name__=~\"surge_.+\", job=\"surge\", namespace=\"surge\", pod=\""
                                + appPodName
                                + "\"})"))
                    .as("surge_* series of the pod")
                    .singleElement()
                    .satisfies(s -> assertThat(Double.parseDouble(s.value())).isGreaterThan(10));
              });
    }
  }

  private void assertLoadJobRuns(
      PodNetwork.Pod appPod, String appPodName, PodNetwork.Pod shard0, PodNetwork.Pod shard1)
      throws Exception {
    JsonNode container = Kubelet.container(job, "loadgen");
    String subdomain = Kubelet.podSpec(job).path("subdomain").asText();
    String jobName = job.path("metadata").path("name").asText();
    List<String> command = new ArrayList<>(Kubelet.command(container, loadgen));
    // a short run: the shipped profile runs for 16 minutes; shard 0 serves the result for 20 s
    // (not 2 min) so that the test reads it and the pod then exits by itself
    int serve = command.indexOf("--serve-result");
    assertThat(serve).as("the Job's args %s", command).isPositive();
    command.set(serve + 1, "20s");
    List<Container> shards = new ArrayList<>();
    try {
      PodNetwork.Pod[] pods = {shard0, shard1};
      for (int index = 0; index < pods.length; index++) {
        Map<String, String> env =
            new LinkedHashMap<>(Kubelet.env(container, loadgen, this::configMap));
        env.put("SURGE_LOADGEN_PROFILE", "hold:20/4s");
        env.put("JOB_COMPLETION_INDEX", String.valueOf(index)); // Indexed Job
        env.put("HOSTNAME", jobName + "-" + index);
        Container.Builder b =
            Container.builder(loadgenRootfs, pods[index])
                .user(uid(job, container, "runAsUser"), uid(job, container, "runAsGroup"))
                .hostname(jobName + "-" + index)
                .env(env)
                .command(command)
                // what cluster DNS answers: the Service name, and each shard's name in the
                // subdomain
                .host(appPod.ip(), "surge", "surge.surge.svc.cluster.local")
                .host(shard0.ip(), jobName + "-0." + subdomain)
                .host(shard1.ip(), jobName + "-1." + subdomain);
        Path podWork = Files.createDirectories(work.resolve("loadgen-" + index));
        Kubelet.volumes(b, job, container, Map.of(), podWork);
        shards.add(b.start());
      }
      Container coordinator = shards.get(0);
      URI result = URI.create("http://" + shard0.ip() + ":8082/shards/result");
      HttpClient http = HttpClient.newHttpClient();
      JsonNode merged =
          await("the merged result at " + result)
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(
                  () -> {
                    if (!coordinator.isAlive()) {
                      throw new AssertionError(coordinator.describe());
                    }
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(result).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                  },
                  r -> r != null);
      JsonNode summary = merged.path("summary");
      // hold:20/4s over both shards: 80 scheduled
      assertThat(summary.path("requests").asLong()).as(merged.toString()).isBetween(72L, 80L);
      assertThat(summary.path("ok").asLong())
          .as(merged.toString())
          .isEqualTo(summary.path("requests").asLong());
      assertThat(summary.path("errors").asLong()).as(merged.toString()).isZero();
      assertThat(summary.path("backends").has(appPodName)).as(merged.toString()).isTrue();
      assertThat(merged.path("checks").path("verdict").asText()).startsWith("passed");
      for (Container shard : shards) {
        assertThat(shard.waitForExit(Duration.ofSeconds(60))).as(shard.describe()).contains(0);
      }
    } finally {
      shards.forEach(Container::close);
    }
  }

  private static void assertDrainsUnderLoad(Container appRun, PodNetwork.Pod appPod)
      throws Exception {
    JsonNode appContainer = Kubelet.container(deployment, "app");
    JsonNode readiness = appContainer.path("readinessProbe");
    int httpPort = Kubelet.port(appContainer, JSON.getNodeFactory().textNode("http"));
    URI work = URI.create("http://" + appPod.ip() + ":" + httpPort + "/api/work?cpuMillis=2");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger afterSigterm = new AtomicInteger();
    AtomicBoolean terminated = new AtomicBoolean();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        loops.add(
            clients.submit(
                () -> {
                  // bounded: at most 5000 requests per client
                  for (int n = 0; n < 5000 && sending.get(); n++) {
                    try {
                      HttpResponse<Void> r =
                          http.send(
                              HttpRequest.newBuilder(work).timeout(Duration.ofSeconds(10)).build(),
                              HttpResponse.BodyHandlers.discarding());
                      if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (terminated.get()) {
                          afterSigterm.incrementAndGet();
                        }
                      } else {
                        failures.add("HTTP " + r.statusCode());
                      }
                    } catch (IOException e) {
                      failures.add(e.toString());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                }));
      }
      await("load reaches the app").atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= 50);
      long grace = Kubelet.podSpec(deployment).path("terminationGracePeriodSeconds").asLong(30);
      long sigterm = System.nanoTime();
      terminated.set(true);
      appRun.stop();
      // the endpoints controller drops the pod once it is terminating; until the proxies have
      // caught up (here: the readiness probe seen failing, plus a second), requests still arrive
      await("readiness fails during the drain")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !Kubelet.probe(appContainer, readiness, appPod.ip()));
      long unready = System.nanoTime();
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      sending.set(false);
      for (Future<?> loop : loops) {
        loop.get(60, TimeUnit.SECONDS);
      }
      assertThat(failures).as("failed requests during the drain; %s", appRun.describe()).isEmpty();
      assertThat(afterSigterm.get()).as("requests served after SIGTERM").isPositive();
      assertThat(appRun.waitForExit(Duration.ofSeconds(grace).plus(TERMINATION_SLACK)))
          .as("exit within terminationGracePeriodSeconds %d; %s", grace, appRun.describe())
          .contains(0);
      System.out.printf(
          "ImageIT: drain: %d requests ok (%d after SIGTERM), 0 failed; readiness 503 after %d ms,"
              + " exit 0 after %d ms%n",
          ok.get(),
          afterSigterm.get(),
          (unready - sigterm) / 1_000_000,
          (System.nanoTime() - sigterm) / 1_000_000);
    } finally {
      sending.set(false);
      clients.shutdownNow();
      clients.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private void awaitProbe(Container run, JsonNode container, String probeName, PodNetwork.Pod pod) {
    JsonNode probe = container.path(probeName);
    assertThat(probe.isMissingNode()).as("the manifest has a %s", probeName).isFalse();
    long start = System.nanoTime();
    await(probeName + " of " + pod.name())
        .atMost(Kubelet.deadline(probe))
        .pollInterval(Kubelet.period(probe))
        .pollDelay(Duration.ZERO)
        .until(
            () -> {
              if (!run.isAlive()) {
                throw new AssertionError(run.describe());
              }
              return Kubelet.probe(container, probe, pod.ip());
            });
    System.out.printf(
        "ImageIT: %s passed after %d ms%n", probeName, (System.nanoTime() - start) / 1_000_000);
  }

  private JsonNode configMap(String name) {
    return Kustomize.one(demo, "ConfigMap", name);
  }

  private static Map<String, String> withPodEnv(Map<String, String> env, String podName) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put("HOSTNAME", podName); // the runtime sets it to the pod's host name
    return all;
  }

  private static int uid(JsonNode workload, JsonNode container, String field) {
    JsonNode value = Kubelet.security(workload, container, field);
    assertThat(value.isInt()).as("%s in %s", field, container.path("name")).isTrue();
    return value.asInt();
  }

  private static String gitHead() {
    Commands.Result r = Commands.run(List.of("git", "rev-parse", "HEAD"));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r.stdout().trim();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
