package dev.surge.testkit;

import dev.surge.common.Executables;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the real command-line tools the tests run (promtool, kubectl, prometheus, node, ...); a
 * missing tool is a test failure, never a skip: {@link #require} throws an {@link AssertionError}
 * that names the tool and the fix.
 *
 * <pre>{@code
 * Path promtool = Tools.require("promtool", "prometheus");
 * }</pre>
 */
public final class Tools {
  private Tools() {}

  /**
   * The path of {@code command} on PATH, or an {@link AssertionError} naming {@code
   * ./bin/install-test-tools} and the Debian package that provides it, e.g. {@code promtool not
   * found on PATH: run ./bin/install-test-tools (Debian package prometheus)}.
   */
  public static Path require(String command, String debianPackage) {
    return find(command)
        .orElseThrow(
            () ->
                new AssertionError(
                    command
                        + " not found on PATH: run ./bin/install-test-tools (Debian package "
                        + debianPackage
                        + ")"));
  }

  /** The executable {@code command} on PATH, if any. */
  public static Optional<Path> find(String command) {
    return Executables.find(command);
  }
}
