package dev.surge.systest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.lab.pod.StartupArchive;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;

/**
 * The app image run as the demo overlay's Deployment pod, one container at a time on one pod
 * address, for the start-up checks of {@link ImageIT} and {@link ImageStartupBench}: its env (image
 * Env, the ConfigMap, the manifest's values, the pod's host name), its volumes, its command, the
 * wait for the first {@code /readyz} 200, and the training run that writes a start-up archive or
 * AOT cache with the image's own JVM.
 */
final class AppImagePod {
  /** Where a training run's JVM writes, inside the container (a writable bind of a host dir). */
  static final String TRAINING_OUT = "/training-out";

  private final List<ObjectNode> demo;
  private final ObjectNode deployment;
  private final JsonNode container;
  private final PodNetwork.Pod pod;
  private final Path work;

  private AppImagePod(List<ObjectNode> demo, PodNetwork.Pod pod, Path work) {
    this.demo = demo;
    this.deployment = Kustomize.one(demo, "Deployment", "surge");
    this.container = Kubelet.container(deployment, "app");
    this.pod = pod;
    this.work = work;
  }

  /**
   * The Deployment of the rendered {@code demo} overlay on {@code pod}, staging under {@code work}.
   */
  static AppImagePod of(List<ObjectNode> demo, PodNetwork.Pod pod, Path work) {
    return new AppImagePod(demo, pod, work);
  }

  /** The container's environment for {@code image}, as the kubelet sets it. */
  Map<String, String> env(ImageArchive image) {
    Map<String, String> env =
        Kubelet.env(container, image, n -> Kustomize.one(demo, "ConfigMap", n));
    env.put("HOSTNAME", pod.name());
    return env;
  }

  /** {@code env} with {@code more} appended to its {@code JAVA_TOOL_OPTIONS} (the manifest's). */
  static Map<String, String> withToolOptions(Map<String, String> env, String more) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.merge("JAVA_TOOL_OPTIONS", more, (a, b) -> a + " " + b);
    return copy;
  }

  /** Starts the image's root filesystem {@code rootfs} as the pod, with {@code env}. */
  Container start(
      Path rootfs, ImageArchive image, Map<String, String> env, Consumer<Container.Builder> extra) {
    List<String> command = new java.util.ArrayList<>(Kubelet.command(container, image));
    int drain = command.indexOf("--drain-delay");
    assertThat(drain).as("the Deployment's args %s", command).isPositive();
    command.set(drain + 1, "0s");
    Container.Builder b = Container.builder(rootfs, pod).env(env).command(command);
    Kubelet.volumes(
        b,
        deployment,
        container,
        Map.of("surge-admin-token", Map.of("token", "start-up")),
        work.resolve("app"));
    extra.accept(b);
    return b.start();
  }

  /** Waits for the first {@code /readyz} 200 (polled every 10 ms); fails if the JVM exits. */
  void awaitReady(Container c, Duration atMost) {
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

  /** SIGTERM, then exit 0 within a minute (the drain and, for a training run, the dump). */
  static void stopCleanly(Container c) {
    c.stop();
    assertThat(c.waitForExit(Duration.ofSeconds(90))).as(c.describe()).contains(0);
  }

  /**
   * One training run of the image's own JVM, as the release runs it: the pod with {@code flag}
   * (e.g. {@code -XX:AOTCacheOutput=}) plus {@code TRAINING_OUT/fileName} appended to the
   * manifest's {@code JAVA_TOOL_OPTIONS}, the requests a pod serves (probes, the API, an error, a
   * 404, a scrape: 20 rounds), SIGTERM; the JVM writes the file as it exits. Returns the file on
   * the host, failing if it is missing or empty.
   */
  Path train(Path rootfs, ImageArchive image, String flag, String fileName) {
    Path out;
    try {
      out = Files.createDirectories(work.resolve("training-" + fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Commands.run(List.of("chmod", "777", out.toString()));
    Map<String, String> env = withToolOptions(env(image), flag + TRAINING_OUT + "/" + fileName);
    long start = System.nanoTime();
    try (Container train = start(rootfs, image, env, b -> b.writableBind(out, TRAINING_OUT))) {
      awaitReady(train, Duration.ofMinutes(2));
      exercise();
      stopCleanly(train);
      System.out.printf(
          "training run (%s) %d ms, its JVM's archive lines:%n",
          flag, (System.nanoTime() - start) / 1_000_000);
      train
          .output()
          .lines()
          .filter(l -> l.contains("AOT") || l.contains("aot") || l.contains("CDS"))
          .limit(12)
          .forEach(l -> System.out.println("  " + l));
    }
    Path file = out.resolve(fileName);
    try {
      assertThat(file).as("the file the training run wrote").isRegularFile();
      assertThat(Files.size(file)).as("size of %s", file).isPositive();
      System.out.printf("%s: %.1f MB%n", fileName, Files.size(file) / 1e6);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** What a pod serves, so that those classes are in the archive (as lab's StartupArchive). */
  private void exercise() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String app = "http://" + pod.ip() + ":8080";
    List<String> urls = new ArrayList<>();
    for (String path : StartupArchive.TRAINING_PATHS) {
      urls.add(app + path);
    }
    urls.add("http://" + pod.ip() + ":8081/metrics");
    for (int round = 0; round < StartupArchive.TRAINING_ROUNDS; round++) {
      for (String url : urls) {
        try {
          var unused =
              http.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          throw new UncheckedIOException("training request " + url + " failed", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }
}
