package dev.surge.lab.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository is, for the defaults {@code app/target/surge-app.jar} and {@code k8s/base}:
 * the directory two levels above this jar ({@code lab/target/surge-lab.jar}) when it holds them,
 * else the working directory.
 */
final class RepoLayout {
  private RepoLayout() {}

  static Path root() {
    try {
      Path jar =
          Path.of(RepoLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
      if (candidate != null) {
        candidate = candidate.getParent();
      }
      if (candidate != null && Files.isDirectory(candidate.resolve("k8s/base"))) {
        return candidate;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // No usable code location (an unusual class loader): the working directory decides.
    }
    return Path.of("").toAbsolutePath();
  }
}
