package dev.surge.loadgen.doctor;

import dev.surge.common.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves {@code --overlay}: a kustomize directory's path, or the name of one under {@code
 * k8s/overlays} of the repository around the working directory (looked up from the working
 * directory upwards, so {@code demo} works anywhere inside a checkout).
 */
final class OverlayLocator {
  /** A resolved overlay: what the user gave and the directory it names. */
  record Located(String given, Path path) {}

  private static final List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private OverlayLocator() {}

  /**
   * @throws UsageException naming {@code --overlay} and the value, with the overlays there are
   */
  static Located resolve(String given, Path workingDir) {
    Path asPath = workingDir.resolve(given);
    if (Files.isDirectory(asPath)) {
      requireKustomization(given, asPath);
      return new Located(given, asPath.normalize());
    }
    Path overlays = findOverlaysDir(workingDir.toAbsolutePath());
    if (!given.contains("/") && overlays != null && Files.isDirectory(overlays.resolve(given))) {
      Path dir = overlays.resolve(given);
      requireKustomization(given, dir);
      return new Located(given, dir.normalize());
    }
    String known =
        overlays == null
            ? "no k8s/overlays found from " + workingDir.toAbsolutePath() + " upwards"
            : overlays + " has: " + String.join(", ", names(overlays));
    throw new UsageException(
        "--overlay '"
            + given
            + "': no such overlay: neither a kustomize directory nor a name under k8s/overlays ("
            + known
            + ")");
  }

  private static void requireKustomization(String given, Path dir) {
    if (KUSTOMIZATION_FILES.stream().noneMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
      throw new UsageException(
          "--overlay '" + given + "': " + dir + " has no kustomization.yaml: not an overlay");
    }
  }

  private static Path findOverlaysDir(Path from) {
    for (Path dir = from; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("k8s").resolve("overlays");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static List<String> names(Path overlays) {
    try (Stream<Path> s = Files.list(overlays)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of("(cannot list: " + e.getMessage() + ")");
    }
  }
}
