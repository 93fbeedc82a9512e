package dev.surge.lab.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab's start-up archive against the real app jar on this JVM: trained once, reused, and the
 * app starts from it (its classes come from the archive); a stale or corrupt archive never stops a
 * pod from starting.
 */
class StartupArchiveIT {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static Path dir;
  private static Path jar;
  private static StartupArchive trained;

  @BeforeAll
  static void train() throws IOException {
    dir = Files.createTempDirectory("surge-startup-archive");
    jar = dir.resolve("surge-app.jar");
    Files.copy(Path.of(System.getProperty("surge.app.jar")), jar);
    trained = StartupArchive.prepare(jar, JAVA, dir.resolve("cache"));
  }

  @AfterAll
  static void clean() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void trainsOnceThenReusesAndTheAppStartsFromTheArchive() throws Exception {
    assertThat(trained.kind()).as(trained.description()).isEqualTo(StartupArchive.Kind.APPCDS);
    assertThat(trained.description()).startsWith("trained ");
    assertThat(trained.file()).isRegularFile();
    StartupArchive again = StartupArchive.prepare(jar, JAVA, dir.resolve("cache"));
    assertThat(again.description()).startsWith("reused ");
    assertThat(again.file()).isEqualTo(trained.file());

    String classes = startAndListClassSources(jar, trained.jvmFlags());
    assertThat(classes)
        .as("the app's classes are mapped from the archive")
        .contains("dev.surge.app.SurgeApp source: shared objects file (top)");
  }

  @Test
  void aStaleArchiveStillStartsTheApp() throws Exception {
    // A rebuilt jar: same bytes, a new modification time, so the JVM will not use the old archive.
    // Put the old archive under the new jar's name, as a cache that missed the change would.
    Path rebuilt = dir.resolve("rebuilt").resolve("surge-app.jar");
    Files.createDirectories(rebuilt.getParent());
    Files.copy(jar, rebuilt);
    Files.setLastModifiedTime(
        rebuilt, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    Path cache = dir.resolve("stale-cache");
    Files.createDirectories(cache);
    Path staleFile =
        cache.resolve(StartupArchive.fileName(rebuilt, JAVA, StartupArchive.Kind.APPCDS));
    Files.copy(trained.file(), staleFile, StandardCopyOption.REPLACE_EXISTING);
    StartupArchive stale = StartupArchive.prepare(rebuilt, JAVA, cache);
    assertThat(stale.description()).startsWith("reused ");
    String classes = startAndListClassSources(rebuilt, stale.jvmFlags());
    assertThat(classes)
        .as("started, without the stale archive")
        .contains("dev.surge.app.SurgeApp source: file:")
        .doesNotContain("dev.surge.app.SurgeApp source: shared objects file (top)");

    // A corrupt one (a truncated copy) too.
    Files.write(staleFile, new byte[] {1, 2, 3});
    assertThat(startAndListClassSources(rebuilt, stale.jvmFlags()))
        .contains("dev.surge.app.SurgeApp source: file:");
  }

  @Test
  void onAJdk25PodJavaTheLabTrainsAnAotCacheThatTheAppStartsFrom() throws Exception {
    // --pod-java: pods on another JVM than the lab's get that JVM's archive kind, trained by it.
    Path java25 = Tools.java25();
    Path cache = dir.resolve("cache25");
    StartupArchive aot = StartupArchive.prepare(jar, java25, cache);
    assertThat(aot.kind()).as(aot.description()).isEqualTo(StartupArchive.Kind.AOT_CACHE);
    assertThat(aot.file().getFileName().toString()).endsWith(".aot");
    assertThat(aot.jvmFlags()).containsExactly("-XX:AOTCache=" + aot.file());
    assertThat(startAndListClassSources(java25, jar, aot.jvmFlags()))
        .as("the app's classes come from the AOT cache")
        .contains("dev.surge.app.SurgeApp source: shared objects file");
    // The lab's JVM (17) cannot use it: the pods there get their own AppCDS archive instead, and a
    // 25 given a 17 archive's name is a different file, never a mix-up.
    assertThat(aot.file()).isNotEqualTo(trained.file());
  }

  /** Starts the jar until its start-up line and /readyz, then stops it; returns its class log. */
  private static String startAndListClassSources(Path appJar, List<String> flags) throws Exception {
    return startAndListClassSources(JAVA, appJar, flags);
  }

  private static String startAndListClassSources(Path java, Path appJar, List<String> flags)
      throws Exception {
    Path log = Files.createTempFile(dir, "classes", ".log");
    Path out = Files.createTempFile(dir, "out", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(flags);
    cmd.add("-Xlog:class+load=info:file=" + log);
    cmd.addAll(
        List.of(
            "-jar",
            appJar.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--drain-delay",
            "0ms"));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      Awaitility.await("the app's start-up line")
          .atMost(90, TimeUnit.SECONDS)
          .pollInterval(50, TimeUnit.MILLISECONDS)
          .until(
              () -> {
                assertThat(p.isAlive()).as(Files.readString(out)).isTrue();
                return Files.readString(out).contains("surge-app started port=");
              });
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return Files.readString(log);
  }
}
