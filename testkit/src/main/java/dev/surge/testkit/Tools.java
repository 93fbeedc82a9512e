package dev.surge.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real tools the tests run; fails (never skips) with the fix when one is missing. */
public final class Tools {
  private Tools() {}

  /**
   * The absolute path of a command on PATH, or an AssertionError naming the Debian package to
   * install.
   */
  public static String require(String command, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(
        command
            + " is not installed: run ./bin/install-test-tools (or apt-get install -y "
            + debianPackage
            + ")");
  }

  /**
   * A port that was free a moment ago (bound on 0 and released), for a child process that needs a
   * number.
   */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port", e);
    }
  }
}
