package dev.surge.common;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks a command up on PATH, as a shell would: the one lookup behind the cluster runners' {@code
 * Binaries} and the tests' {@code Tools}.
 *
 * <pre>{@code
 * Optional<Path> prometheus = Executables.find("prometheus");
 * }</pre>
 */
public final class Executables {
  private Executables() {}

  /** The first regular, executable file named {@code command} in PATH's directories, if any. */
  public static Optional<Path> find(String command) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
