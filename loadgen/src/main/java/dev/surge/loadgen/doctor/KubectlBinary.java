package dev.surge.loadgen.doctor;

import dev.surge.common.cli.UsageException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the {@code kubectl} to run: {@code --kubectl} when given, else the first on PATH. */
final class KubectlBinary {
  private KubectlBinary() {}

  /**
   * @param given {@code --kubectl}, or null
   * @param path the PATH to search (from the program's environment), or null
   * @throws UsageException when the given file is not executable or none is on PATH
   */
  static Path find(Path given, String path) {
    if (given != null) {
      if (!Files.isRegularFile(given) || !Files.isExecutable(given)) {
        throw new UsageException("--kubectl '" + given + "': not an executable file");
      }
      return given;
    }
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "kubectl");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new UsageException(
        "kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) or pass"
            + " --kubectl <path>");
  }
}
