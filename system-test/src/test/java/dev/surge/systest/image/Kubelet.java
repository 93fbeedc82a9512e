package dev.surge.systest.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.systest.support.Commands;
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
import java.util.function.Function;

/**
 * What the kubelet derives from a rendered pod template for one container, applied to a {@link
 * Container}: the command (the manifest's {@code command}, else the image's Entrypoint; then its
 * {@code args}, else the image's Cmd), the environment (image Env, then {@code envFrom} ConfigMaps,
 * then {@code env}), the user ({@code runAsUser}/{@code runAsGroup}, the container's over the
 * pod's), the volumes (emptyDir as a tmpfs of its {@code sizeLimit}; Secret and ConfigMap items as
 * read-only files with their {@code defaultMode}, group {@code fsGroup}) — and its HTTP probes.
 * Anything else in a pod spec fails the test, naming it, rather than being ignored.
 */
final class Kubelet {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private Kubelet() {}

  /** The pod template's spec. */
  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  /** The container named {@code name}. */
  static JsonNode container(JsonNode workload, String name) {
    for (JsonNode c : podSpec(workload).path("containers")) {
      if (name.equals(c.path("name").asText())) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + workload.path("metadata"));
  }

  /** The value of {@code field} in the container's securityContext, else the pod's. */
  static JsonNode security(JsonNode workload, JsonNode container, String field) {
    JsonNode own = container.path("securityContext").path(field);
    return own.isMissingNode() ? podSpec(workload).path("securityContext").path(field) : own;
  }

  /** The command the kubelet runs: entrypoint (or {@code command}) + args (or Cmd). */
  static List<String> command(JsonNode container, ImageArchive image) {
    List<String> command = new ArrayList<>();
    if (container.has("command")) {
      container.path("command").forEach(c -> command.add(c.asText()));
    } else {
      command.addAll(image.entrypoint());
    }
    if (container.has("args")) {
      container.path("args").forEach(a -> command.add(a.asText()));
    } else if (!container.has("command")) {
      command.addAll(image.cmd());
    }
    return command;
  }

  /**
   * The container's environment: image Env, then every {@code envFrom} ConfigMap's data ({@code
   * configMaps} by name), then {@code env} values.
   */
  static Map<String, String> env(
      JsonNode container, ImageArchive image, Function<String, JsonNode> configMaps) {
    Map<String, String> env = new LinkedHashMap<>(image.env());
    for (JsonNode from : container.path("envFrom")) {
      String name = from.path("configMapRef").path("name").asText(null);
      if (name == null) {
        throw new AssertionError("unsupported envFrom " + from);
      }
      configMaps
          .apply(name)
          .path("data")
          .properties()
          .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode e : container.path("env")) {
      if (!e.has("value")) {
        throw new AssertionError("unsupported env (valueFrom) " + e);
      }
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    return env;
  }

  /**
   * Mounts the container's volumes on {@code builder}: emptyDirs as tmpfs, Secrets as read-only
   * files from {@code secretData} (key to content), staged under {@code work}.
   */
  static void volumes(
      Container.Builder builder,
      JsonNode workload,
      JsonNode container,
      Map<String, Map<String, String>> secretData,
      Path work) {
    Map<String, JsonNode> volumes = new LinkedHashMap<>();
    podSpec(workload).path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    int fsGroup = podSpec(workload).path("securityContext").path("fsGroup").asInt(0);
    for (JsonNode mount : container.path("volumeMounts")) {
      String name = mount.path("name").asText();
      String path = mount.path("mountPath").asText();
      JsonNode volume = volumes.get(name);
      if (volume == null) {
        throw new AssertionError("volumeMount " + name + " names no volume");
      }
      if (volume.has("emptyDir")) {
        builder.tmpfs(path, size(volume.path("emptyDir").path("sizeLimit").asText("64Mi")));
      } else if (volume.has("secret")) {
        JsonNode secret = volume.path("secret");
        String secretName = secret.path("secretName").asText();
        Map<String, String> data = secretData.get(secretName);
        if (data == null) {
          throw new AssertionError("the test has no data for Secret " + secretName);
        }
        Path dir = work.resolve("volume-" + name);
        try {
          Files.createDirectories(dir);
          int mode = secret.path("defaultMode").asInt(0644);
          List<String[]> items = new ArrayList<>();
          if (secret.has("items")) {
            secret
                .path("items")
                .forEach(
                    i -> items.add(new String[] {i.path("key").asText(), i.path("path").asText()}));
          } else {
            data.keySet().forEach(k -> items.add(new String[] {k, k}));
          }
          for (String[] item : items) {
            Path file = dir.resolve(item[1]);
            Files.writeString(file, data.get(item[0]));
            run(List.of("chown", "0:" + fsGroup, file.toString()));
            run(List.of("chmod", Integer.toOctalString(mode), file.toString()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        builder.readOnlyBind(dir, path);
      } else {
        throw new AssertionError("unsupported volume " + volume);
      }
    }
  }

  /** A Kubernetes quantity ({@code 64Mi}) as a tmpfs size ({@code 64m}). */
  static String size(String quantity) {
    var m = java.util.regex.Pattern.compile("(\\d+)(Ki|Mi|Gi)").matcher(quantity);
    if (!m.matches()) {
      throw new AssertionError("unsupported sizeLimit " + quantity);
    }
    return m.group(1) + m.group(2).substring(0, 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** The containerPort of a port given by name or number. */
  static int port(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    for (JsonNode p : container.path("ports")) {
      if (port.asText().equals(p.path("name").asText())) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + port);
  }

  /**
   * One HTTP probe as the kubelet makes it: GET {@code httpGet.path} on the pod IP and port within
   * {@code timeoutSeconds}; success is a status from 200 to 399.
   */
  static boolean probe(JsonNode container, JsonNode probe, String podIp) {
    JsonNode get = probe.path("httpGet");
    if (get.isMissingNode()) {
      throw new AssertionError("unsupported probe " + probe);
    }
    URI uri =
        URI.create(
            "http://"
                + podIp
                + ":"
                + port(container, get.path("port"))
                + get.path("path").asText("/"));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(probe.path("timeoutSeconds").asInt(1)))
            .header("User-Agent", "kube-probe/1.31")
            .GET()
            .build();
    try {
      int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The probe's period. */
  static Duration period(JsonNode probe) {
    return Duration.ofSeconds(probe.path("periodSeconds").asInt(10));
  }

  /** periodSeconds × failureThreshold: how long the kubelet lets it fail. */
  static Duration deadline(JsonNode probe) {
    return period(probe).multipliedBy(probe.path("failureThreshold").asInt(3));
  }

  private static void run(List<String> command) {
    Commands.Result r = Commands.run(command, Path.of("/"), Map.of(), Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
  }
}
