package dev.surge.testkit;

import dev.surge.common.Executables;
import java.nio.file.Files;
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

  /**
   * Where the development machine keeps its second JDK (Temurin 25); {@link #java25} looks here.
   */
  static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /**
   * A JDK 25's {@code java} (for the JDK 25 AOT cache): {@code $SURGE_JAVA25} when set, else
   * Temurin 25 where this project's machines have it, or an {@link AssertionError} naming both.
   * (Debian 12 has no JDK 25 package, so {@code ./bin/install-test-tools} cannot install one.)
   */
  public static Path java25() {
    String env = System.getenv("SURGE_JAVA25");
    Path java = env != null && !env.isBlank() ? Path.of(env) : TEMURIN_25;
    if (!Files.isExecutable(java)) {
      throw new AssertionError(
          "no JDK 25 at "
              + java
              + ": install Temurin 25 there (the development machine has it) or set SURGE_JAVA25 to a"
              + " JDK 25's bin/java");
    }
    return java;
  }
}
