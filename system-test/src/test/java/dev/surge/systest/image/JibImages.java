package dev.surge.systest.image;

import dev.surge.systest.support.Commands;
import dev.surge.systest.support.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds both images with the project's own Jib configuration (the root pom's {@code image-tar}
 * profile and the app and loadgen poms: the one definition of the images) onto a local base, with
 * no registry and no Docker engine: {@code ./mvnw -pl app,loadgen -Pimage-tar initialize
 * jib:buildTar -Dimage.base=tar://BASE}.
 *
 * <p>Maven does not resolve a reactor module outside {@code -pl} from its {@code target/}, and
 * {@code -am package} would rebuild and rewrite the jars this very build made. So the modules' jars
 * of this build (and their poms) are laid out as a fresh local repository that comes first ({@code
 * maven.repo.local}), with the user's repository behind it ({@code maven.repo.local.tail}, Maven
 * 3.9) for plugins and third-party jars: the images get exactly this build's jars, never a stale
 * copy someone installed.
 */
final class JibImages {
  /** The two tarballs, as {@code -Pimage-tar package} writes them. */
  record Built(Path app, Path loadgen, Duration took) {}

  private JibImages() {}

  static Built build(Path baseTarball, Path work) {
    return build(baseTarball, work, "app,loadgen", "image-tar", List.of());
  }

  /**
   * Builds the images of {@code modules} with {@code profiles} (comma-separated) and extra {@code
   * -D} arguments, e.g. the release's {@code image-aot} build of the app.
   */
  static Built build(
      Path baseTarball, Path work, String modules, String profiles, List<String> extra) {
    Path root = RepoPaths.root();
    String version = System.getProperty("surge.version");
    Path head = layOutModules(root, work.resolve("m2-head"), version);
    Path tail = Path.of(System.getProperty("user.home"), ".m2", "repository");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                root.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-pl",
                modules,
                "-P" + profiles,
                "-Dmaven.repo.local=" + head,
                "-Dmaven.repo.local.tail=" + tail,
                "initialize",
                "jib:buildTar",
                "-Dimage.base=tar://" + baseTarball.toAbsolutePath(),
                "-Dimage.tar.platform=" + JreBase.architecture()));
    command.addAll(extra);
    long start = System.nanoTime();
    Commands.Result r = Commands.run(command, root, Map.of(), Duration.ofMinutes(6));
    if (r.exitCode() != 0) {
      throw new AssertionError("the Jib build failed: " + r.describe());
    }
    return new Built(
        root.resolve("app/target/surge-app-image.tar"),
        root.resolve("loadgen/target/surge-loadgen-image.tar"),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The parent pom and every module with a packaged jar, as {@code dev/surge/surge-<module>/...}
   * under {@code repo}.
   */
  private static Path layOutModules(Path root, Path repo, String version) {
    try {
      Path group = Files.createDirectories(repo.resolve("dev/surge"));
      copy(
          root.resolve("pom.xml"),
          group.resolve("surge-parent/" + version),
          "surge-parent-" + version + ".pom");
      try (Stream<Path> modules = Files.list(root)) {
        for (Path module :
            modules.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).toList()) {
          String artifact = "surge-" + module.getFileName();
          Path jar = module.resolve("target/" + artifact + "-" + version + ".jar");
          if (Files.isRegularFile(jar)) {
            Path dir = group.resolve(artifact + "/" + version);
            copy(module.resolve("pom.xml"), dir, artifact + "-" + version + ".pom");
            copy(jar, dir, artifact + "-" + version + ".jar");
          }
        }
      }
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out this build's jars under " + repo, e);
    }
  }

  private static void copy(Path from, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
