package dev.surge.systest.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository and the packaged jars are, from the system properties the Failsafe
 * configuration in {@code system-test/pom.xml} sets: {@code surge.repo.root}, {@code
 * surge.app.jar}, {@code surge.loadgen.jar}.
 *
 * <pre>{@code
 * Path base = RepoPaths.resolve("k8s/base");
 * Path jar = RepoPaths.appJar();
 * }</pre>
 */
public final class RepoPaths {
  private RepoPaths() {}

  /** The repository root (normalized, absolute). */
  public static Path root() {
    Path root = Path.of(property("surge.repo.root")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new AssertionError(
          "surge.repo.root=" + root + " is not the repository root (no pom.xml there)");
    }
    return root;
  }

  /** A path inside the repository, e.g. {@code resolve("k8s/overlays/demo")}. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** The packaged app jar; fails naming the build command when it has not been built. */
  public static Path appJar() {
    return jar("surge.app.jar", "app");
  }

  /** The packaged loadgen jar; fails naming the build command when it has not been built. */
  public static Path loadgenJar() {
    return jar("surge.loadgen.jar", "loadgen");
  }

  private static Path jar(String property, String module) {
    Path jar = Path.of(property(property)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          property
              + "="
              + jar
              + " does not exist: build it with ./mvnw -B -q -pl "
              + module
              + " -am -DskipTests package");
    }
    return jar;
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new AssertionError(
          "system property "
              + name
              + " is not set: run the system tests through Maven (./mvnw -pl system-test -am verify)");
    }
    return value;
  }
}
