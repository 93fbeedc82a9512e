package dev.surge.systest.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.systest.support.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A docker-save image tarball as Jib's {@code buildTar} writes it ({@code manifest.json}, the
 * config, gzipped layers): what a runtime reads from it (user, entrypoint, env, exposed ports,
 * labels) and its root filesystem, unpacked layer by layer as a runtime's snapshotter would.
 *
 * <pre>{@code
 * ImageArchive app = ImageArchive.open(Path.of("app/target/surge-app-image.tar"), workDir);
 * Path rootfs = app.unpack(workDir.resolve("rootfs"));
 * }</pre>
 */
final class ImageArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tarball;
  private final Path dir;
  private final JsonNode config;
  private final List<String> layers;
  private final List<String> repoTags;

  private ImageArchive(Path tarball, Path dir, JsonNode manifest, JsonNode config) {
    this.tarball = tarball;
    this.dir = dir;
    this.config = config;
    List<String> l = new ArrayList<>();
    manifest.path("Layers").forEach(n -> l.add(n.asText()));
    this.layers = List.copyOf(l);
    List<String> t = new ArrayList<>();
    manifest.path("RepoTags").forEach(n -> t.add(n.asText()));
    this.repoTags = List.copyOf(t);
  }

  /** Extracts {@code tarball}'s members into {@code dir} and reads its manifest and config. */
  static ImageArchive open(Path tarball, Path dir) {
    if (!Files.isRegularFile(tarball)) {
      throw new AssertionError("no image tarball at " + tarball);
    }
    try {
      Files.createDirectories(dir);
      run(List.of("tar", "-C", dir.toString(), "-xf", tarball.toString()));
      JsonNode manifests = JSON.readTree(dir.resolve("manifest.json").toFile());
      if (manifests.size() != 1) {
        throw new AssertionError(tarball + ": expected one image, manifest.json has " + manifests);
      }
      JsonNode manifest = manifests.get(0);
      JsonNode config = JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile());
      return new ImageArchive(tarball, dir, manifest, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image tarball " + tarball, e);
    }
  }

  /** The tarball this was read from. */
  Path tarball() {
    return tarball;
  }

  /** The image's name as {@code docker load} tags it. */
  List<String> repoTags() {
    return repoTags;
  }

  /** The whole image config (architecture, os, config, rootfs, history). */
  JsonNode config() {
    return config;
  }

  /** {@code config.User}, e.g. {@code 10001:10001}. */
  String user() {
    return config.path("config").path("User").asText("");
  }

  /** {@code config.Entrypoint}. */
  List<String> entrypoint() {
    return strings(config.path("config").path("Entrypoint"));
  }

  /** {@code config.Cmd} (empty when none). */
  List<String> cmd() {
    return strings(config.path("config").path("Cmd"));
  }

  /** {@code config.Env} as a map, in order. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : strings(config.path("config").path("Env"))) {
      int eq = e.indexOf('=');
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return env;
  }

  /** {@code config.ExposedPorts}, e.g. {@code [8080/tcp, 8081/tcp]}. */
  Set<String> exposedPorts() {
    TreeSet<String> ports = new TreeSet<>();
    config.path("config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    return ports;
  }

  /** {@code config.Labels}. */
  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    config
        .path("config")
        .path("Labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** The compressed size of every layer together (what a pull transfers). */
  long compressedBytes() {
    long total = 0;
    for (String layer : layers) {
      try {
        total += Files.size(dir.resolve(layer));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return total;
  }

  /**
   * Unpacks the layers in order into {@code rootfs} (created), keeping owners and modes; fails on a
   * whiteout entry, which a single-build Jib image never has and this unpacker does not apply.
   */
  Path unpack(Path rootfs) {
    try {
      Files.createDirectories(rootfs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String layer : layers) {
      Path file = dir.resolve(layer);
      String flags = layer.endsWith(".tar") ? "-xf" : "-xzf";
      String listFlags = layer.endsWith(".tar") ? "-tf" : "-tzf";
      Commands.Result list =
          run(List.of("tar", "--warning=no-unknown-keyword", listFlags, file.toString()));
      if (list.stdout().contains(".wh.")) {
        throw new AssertionError(layer + " has whiteout entries, which this unpacker cannot apply");
      }
      run(
          List.of(
              "tar",
              "--warning=no-unknown-keyword",
              "--numeric-owner",
              "-C",
              rootfs.toString(),
              flags,
              file.toString()));
    }
    return rootfs;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Commands.Result run(List<String> command) {
    Commands.Result r = Commands.run(command, Path.of("/"), Map.of(), Duration.ofMinutes(3));
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
    return r;
  }
}
