package dev.surge.lab.pod;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM start-up archive for the app jar, trained once per jar and JVM and reused by every pod the
 * lab starts: an AppCDS archive ({@code -XX:ArchiveClassesAtExit}, then {@code
 * -XX:SharedArchiveFile}) on JDK 17 to 24, an AOT cache (JEP 483: {@code -XX:AOTCacheOutput}, then
 * {@code -XX:AOTCache}) on JDK 25 and later. Pods start faster because the app's classes are mapped
 * instead of loaded, parsed and verified (docs/BENCHMARKS.md, "Start-up").
 *
 * <p>The archive's file name holds a digest of the jar's bytes, its modification time and the JVM's
 * version, so a rebuilt jar or another JVM never picks up an old archive: it trains a new one.
 * Training is one start of the app that serves a few requests and is stopped with SIGTERM, as a
 * container image's build would do it. Whatever goes wrong — training fails, the archive is
 * missing, corrupt or made by another build — the pod still starts: the flags ask for {@code
 * -Xshare:auto} semantics, under which the JVM ignores an archive it cannot use, and a failed
 * training means a plain start.
 *
 * <pre>{@code
 * StartupArchive a = StartupArchive.prepare(appJar, javaBinary, cacheDir);
 * cmd.addAll(a.jvmFlags()); // before -jar
 * }</pre>
 *
 * <p>Immutable once prepared; {@link #prepare} may be called from any thread, and two labs that
 * train the same archive at once each write their own temporary file and move it into place.
 */
public final class StartupArchive {
  /** Which kind of archive a pod starts with. */
  public enum Kind {
    /** No archive: a plain start. */
    NONE,
    /** An AppCDS dynamic archive (JDK 17 to 24). */
    APPCDS,
    /** A JDK 25 AOT cache. */
    AOT_CACHE;

    /** The name used in the lab's output and result. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final Pattern STARTED =
      Pattern.compile("surge-app started port=(\\d+) metrics-port=(\\d+)");
  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

  private final Kind kind;
  private final Path file;
  private final String why;

  private StartupArchive(Kind kind, Path file, String why) {
    this.kind = kind;
    this.file = file;
    this.why = why;
  }

  /** A plain start, saying why. */
  public static StartupArchive none(String why) {
    return new StartupArchive(Kind.NONE, null, why);
  }

  /**
   * The archive for {@code appJar} on the JVM {@code java}, from {@code cacheDir} when it was
   * trained before, else trained now (one start of the app, a few seconds). Never throws for a
   * training that fails: it returns a plain start that says why.
   */
  public static StartupArchive prepare(Path appJar, Path java, Path cacheDir) {
    try {
      int feature = featureVersion(java);
      Kind kind = feature >= 25 ? Kind.AOT_CACHE : Kind.APPCDS;
      Path file = cacheDir.resolve(fileName(appJar, java, kind));
      if (Files.isRegularFile(file) && Files.size(file) > 0) {
        return new StartupArchive(kind, file, "reused " + file);
      }
      Files.createDirectories(cacheDir);
      train(appJar, java, kind, file);
      return new StartupArchive(kind, file, "trained " + file);
    } catch (IOException | RuntimeException e) {
      return none("no start-up archive (" + e.getMessage() + "): plain start");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return none("no start-up archive (interrupted): plain start");
    }
  }

  /**
   * Where archives are kept: {@code $SURGE_LAB_STARTUP_CACHE} when set, else {@code
   * $XDG_CACHE_HOME/surge/startup} or {@code ~/.cache/surge/startup}.
   */
  public static Path cacheDir() {
    String dir = System.getenv("SURGE_LAB_STARTUP_CACHE");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("surge").resolve("startup");
  }

  /** The kind of archive pods start with. */
  public Kind kind() {
    return kind;
  }

  /** The archive file, null for a plain start. */
  public Path file() {
    return file;
  }

  /** What {@link #prepare} did, for the lab's output. */
  public String description() {
    return why;
  }

  /**
   * The JVM flags that use the archive (before {@code -jar}); none for a plain start. Both forms
   * fall back to a plain start when the JVM cannot use the file (AppCDS's {@code -Xshare:auto}, the
   * AOT cache's default {@code -XX:AOTMode=auto}).
   */
  public List<String> jvmFlags() {
    return switch (kind) {
      case NONE -> List.of();
      case APPCDS -> List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto");
      case AOT_CACHE -> List.of("-XX:AOTCache=" + file);
    };
  }

  /** {@code surge-app-<digest of the jar>-<jvm version>.jsa} (or {@code .aot}). */
  static String fileName(Path appJar, Path java, Kind kind) throws IOException {
    String jvm = jvmVersion(java).replaceAll("[^A-Za-z0-9.+_-]", "_");
    // The JVM checks the jar's size and modification time against the archive's record, so a
    // rebuild with identical bytes (a reproducible build) still needs a new archive.
    return "surge-app-"
        + digest(appJar).substring(0, 12)
        + "-"
        + Long.toHexString(Files.getLastModifiedTime(appJar).toMillis())
        + "-"
        + jvm
        + (kind == Kind.AOT_CACHE ? ".aot" : ".jsa");
  }

  private static String digest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The pod JVM's full version ({@code java.vm.version}), as {@code java -version} names it. */
  private static String jvmVersion(Path java) throws IOException {
    if (isThisJvm(java)) {
      return System.getProperty("java.vm.version");
    }
    return versionOutput(java).lines().filter(l -> l.contains("VM")).findFirst().orElse("unknown");
  }

  private static int featureVersion(Path java) throws IOException {
    if (isThisJvm(java)) {
      return Runtime.version().feature();
    }
    return feature(versionOutput(java)).orElse(17);
  }

  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)");

  /**
   * The feature release a {@code java -version} output names ({@code version "25.0.1"} is 25),
   * empty when it names none (not a JVM).
   */
  public static OptionalInt feature(String versionOutput) {
    Matcher m = JAVA_VERSION.matcher(versionOutput);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  private static boolean isThisJvm(Path java) {
    return java.startsWith(Path.of(System.getProperty("java.home")));
  }

  /**
   * What {@code java -version} prints (its first 4 kB), or an {@link IOException} saying why not:
   * it cannot be run, does not finish in 30 s, or exits non-zero (with the first line it printed).
   */
  public static String versionOutput(Path java) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run it: " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("'-version' did not finish in 30 s");
      }
      if (p.exitValue() != 0) {
        String line = out.strip().lines().findFirst().orElse("");
        throw new IOException(
            "'-version' exited " + p.exitValue() + ": " + (line.isEmpty() ? "nothing" : line));
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * One training start: the app on ports 0, a few requests of every kind a pod serves, a scrape,
   * SIGTERM; the JVM writes the archive as it exits. Written to a temporary file, moved into place.
   */
  private static void train(Path appJar, Path java, Kind kind, Path file)
      throws IOException, InterruptedException {
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    Files.delete(tmp); // the JVM creates it
    Path log = Files.createTempFile(file.getParent(), "training.", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add(
        kind == Kind.AOT_CACHE ? "-XX:AOTCacheOutput=" + tmp : "-XX:ArchiveClassesAtExit=" + tmp);
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
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("SURGE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
      Matcher started = null;
      while (started == null && System.nanoTime() < deadline && p.isAlive()) {
        Matcher m = STARTED.matcher(Files.readString(log));
        if (m.find()) {
          started = m;
        } else {
          TimeUnit.MILLISECONDS.sleep(50); // polling the training app's log for its start-up line
        }
      }
      if (started == null) {
        throw new IOException("the training start did not come up: " + tail(log));
      }
      exercise(Integer.parseInt(started.group(1)), Integer.parseInt(started.group(2)));
      p.destroy();
      if (!p.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IOException("the training start did not stop after SIGTERM");
      }
      if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
        throw new IOException("the training start wrote no archive: " + tail(log));
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(log);
    }
  }

  /**
   * The app-port paths a training run requests (probes, the API, an error, an unknown path) before
   * one scrape of the metrics port: what a pod serves, so those classes are in the archive. The
   * image's training (system-test's {@code AppImagePod}) requests the same.
   */
  public static final List<String> TRAINING_PATHS =
      List.of(
          "/readyz",
          "/healthz",
          "/",
          "/api/work?cpuMillis=1",
          "/api/work?cpuMillis=0",
          "/status/503",
          "/nope");

  /** Rounds of {@link #TRAINING_PATHS} and the scrape a training run makes. */
  public static final int TRAINING_ROUNDS = 20;

  /** The requests a pod serves (probes, the API, errors, a scrape), so their classes are in. */
  private static void exercise(int port, int metricsPort) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<String> urls = new ArrayList<>();
    for (String path : TRAINING_PATHS) {
      urls.add("http://127.0.0.1:" + port + path);
    }
    urls.add("http://127.0.0.1:" + metricsPort + "/metrics");
    for (int round = 0; round < TRAINING_ROUNDS; round++) {
      for (String url : urls) {
        try {
          var unused =
              http.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          // Training only: a request that fails leaves its classes out of the archive, no more.
        }
      }
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.isRegularFile(log) ? Files.readString(log) : "";
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }

  @Override
  public String toString() {
    return kind.key() + (file == null ? "" : " " + file);
  }
}
