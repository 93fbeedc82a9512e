package dev.surge.cluster.prometheus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the temporary directories the process runners create (TSDB, Alertmanager storage,
 * configs).
 */
final class TempDirs {
  private TempDirs() {}

  /**
   * Deletes {@code dir} and everything below it; a leftover temp file is not worth failing a test
   * for.
   */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
