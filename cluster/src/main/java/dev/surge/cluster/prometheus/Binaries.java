package dev.surge.cluster.prometheus;

import dev.surge.common.Executables;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Debian tools the runners start ({@code prometheus}, {@code prometheus-alertmanager}).
 */
public final class Binaries {
  private Binaries() {}

  /** The executable {@code command} on PATH, if any. */
  public static Optional<Path> find(String command) {
    return Executables.find(command);
  }

  /**
   * The executable, or an {@link IllegalStateException} naming the Debian package: {@code
   * "prometheus is not on the PATH (Debian package prometheus; ./bin/install-test-tools)"}.
   */
  public static Path require(String command, String debianPackage) {
    return find(command)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    command
                        + " is not on the PATH (Debian package "
                        + debianPackage
                        + "; ./bin/install-test-tools)"));
  }
}
