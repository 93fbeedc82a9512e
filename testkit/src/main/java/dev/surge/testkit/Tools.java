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
   * A JDK 25's {@code java} (the JDK 25 AOT cache is trained and used by it): {@code $JAVA25} when
   * set (a {@code bin/java}, as the bench scripts take it), else Temurin 25 at {@code
   * /usr/lib/jvm/temurin-25-jdk-<arch>}, where this project's machines have it; an {@link
   * AssertionError} naming both when it is not there. (Debian 12 has no JDK 25 package, so {@code
   * ./bin/install-test-tools} can only check for it.)
   */
  public static Path java25() {
    String env = System.getenv("JAVA25");
    Path java =
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of("/usr/lib/jvm/temurin-25-jdk-" + debianArch() + "/bin/java");
    if (!Files.isExecutable(java)) {
      throw new AssertionError(
          "no JDK 25 at "
              + java
              + ": install Temurin 25 (apt-get install temurin-25-jdk from packages.adoptium.net) or"
              + " set JAVA25 to a JDK 25's bin/java");
    }
    return java;
  }

  /** This machine's architecture as Debian and Temurin's package names spell it. */
  public static String debianArch() {
    String arch = System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
