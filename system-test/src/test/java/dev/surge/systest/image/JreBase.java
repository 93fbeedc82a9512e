package dev.surge.systest.image;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.systest.support.Commands;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A base image for Jib made from a JDK on this machine, since no registry is reachable here: a
 * {@code jlink} runtime at {@code /opt/java} (the modules a JRE image has, with the JDK's default
 * CDS archive), every shared library {@code ldd} names for its binaries, and an {@code /etc/passwd}
 * with uid 10001 — written as a docker-save tarball, which Jib reads as {@code tar://PATH}.
 *
 * <p>The images' JVM is JDK 25 ({@code eclipse-temurin:25-jre} for pushes; README "Container
 * images"), so the tests' base is jlinked from a JDK 25 ({@link #imageJdk()}), not from the JDK
 * that runs the tests (17); {@link #testJdk()} is that one, for the bench's JDK 17 rows.
 *
 * <p>Jib refuses member names that start with {@code ./}, so both tars list their members by name.
 * The tarball is kept in the user's cache per JDK build, architecture and system libraries ({@link
 * #tarball(Path)}): one jlink per machine and JDK, as the lab's start-up archives.
 *
 * <pre>{@code
 * Path base = JreBase.tarball(JreBase.imageJdk()); // ~/.cache/surge/image-base/<key>/base.tar
 * // ./mvnw ... jib:buildTar -Dimage.base=tar://<base>
 * }</pre>
 */
final class JreBase {
  /** What a JRE image runs surge with; the exporter needs jdk.httpserver. */
  static final String MODULES =
      "java.se,jdk.httpserver,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.jfr";

  /** jlink's flags besides the modules and the output. */
  private static final List<String> JLINK_FLAGS =
      List.of("--strip-debug", "--no-man-pages", "--no-header-files", "--generate-cds-archive");

  /** Where the runtime goes, and the image's PATH (as the Temurin images have it). */
  static final String JAVA_HOME = "/opt/java";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LDD_PATH = Pattern.compile("(/[^\\s]+)\\s+\\(0x");

  /** The feature release of the images' JVM: the push base is {@code eclipse-temurin:25-jre}. */
  static final int IMAGE_FEATURE = 25;

  private JreBase() {}

  /** The JDK that runs the tests (17 in this build). */
  static Path testJdk() {
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * The JDK 25 the images' base is jlinked from: {@code SURGE_IMAGE_JDK} (a JDK home), else {@code
   * JAVA25} (its {@code bin/java}, as {@code bench/app-bench.sh} takes it), else Temurin 25 at
   * {@code /usr/lib/jvm/temurin-25-jdk-<arch>}. Fails, naming what to install, when none is a JDK
   * 25 with {@code jlink}: the image's AOT cache is trained by the image's own JVM, so no other JDK
   * can stand in for it.
   */
  static Path imageJdk() {
    String home = System.getenv("SURGE_IMAGE_JDK");
    String java25 = System.getenv("JAVA25");
    Path jdk;
    String from;
    if (home != null && !home.isBlank()) {
      jdk = Path.of(home);
      from = "SURGE_IMAGE_JDK=" + home;
    } else {
      // The one lookup of a JDK 25 the tests share: $JAVA25, else Temurin 25.
      Path java = Tools.java25();
      jdk = java.toAbsolutePath().getParent().getParent();
      from = java25 != null && !java25.isBlank() ? "JAVA25=" + java25 : jdk.toString();
    }
    String version = release(jdk).getOrDefault("JAVA_VERSION", "");
    if (!Files.isExecutable(jdk.resolve("bin/jlink"))
        || !(version.equals(String.valueOf(IMAGE_FEATURE))
            || version.startsWith(IMAGE_FEATURE + "."))) {
      throw new AssertionError(
          "the image tests build the images on a JDK "
              + IMAGE_FEATURE
              + " base (the image's JVM, eclipse-temurin:"
              + IMAGE_FEATURE
              + "-jre) and need a JDK "
              + IMAGE_FEATURE
              + " with jlink; "
              + from
              + " is "
              + (Files.isDirectory(jdk) ? "JAVA_VERSION \"" + version + "\"" : "missing")
              + ". Install Temurin "
              + IMAGE_FEATURE
              + " (apt-get install temurin-"
              + IMAGE_FEATURE
              + "-jdk from packages.adoptium.net, or actions/setup-java with java-version "
              + IMAGE_FEATURE
              + ") or set SURGE_IMAGE_JDK to a JDK "
              + IMAGE_FEATURE
              + " home");
    }
    return jdk;
  }

  /** The JDK's {@code release} file as keys and unquoted values (empty when it has none). */
  static Map<String, String> release(Path jdk) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    Path file = jdk.resolve("release");
    if (!Files.isRegularFile(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file, UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The image architecture of this machine, in OCI terms ({@code amd64}, {@code arm64}). */
  static String architecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> throw new AssertionError("no image architecture for os.arch " + arch);
    };
  }

  /**
   * The base tarball of the JDK at {@code jdk} in the user's cache ({@code
   * $XDG_CACHE_HOME/surge/image-base}, by default {@code ~/.cache/surge/image-base}; {@code
   * SURGE_IMAGE_BASE_CACHE} names another directory), as the lab keeps its start-up archives: one
   * assembly per JDK build and set of system libraries, not one per clean build. The key holds the
   * JDK build (its {@code release} file), the architecture, and a digest of what goes in (the
   * modules, the jlink flags, and the path, size and modification time of the JDK's own files and
   * of every library {@code ldd} finds for them), so an updated JDK or libc makes a new base; older
   * bases of the same vendor and feature release are deleted then.
   */
  static Path tarball(Path jdk) {
    String dir = System.getenv("SURGE_IMAGE_BASE_CACHE");
    if (dir != null && !dir.isBlank()) {
      return tarball(jdk, Path.of(dir));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return tarball(jdk, base.resolve("surge").resolve("image-base"));
  }

  /**
   * The base tarball for the JDK at {@code jdk}, assembled under {@code cacheDir} unless it is
   * there already.
   */
  static synchronized Path tarball(Path jdk, Path cacheDir) {
    Map<String, String> release = release(jdk);
    String key =
        (release.getOrDefault("IMPLEMENTOR", "unknown")
                    + "-"
                    + release.getOrDefault("JAVA_RUNTIME_VERSION", release.get("JAVA_VERSION")))
                .replaceAll("[^A-Za-z0-9.+-]", "_")
            + "-"
            + architecture()
            + "-"
            + inputsDigest(jdk).substring(0, 12);
    Path dir = cacheDir.resolve(key);
    Path tarball = dir.resolve("base.tar");
    if (Files.isRegularFile(tarball)) {
      return tarball;
    }
    try {
      Files.createDirectories(cacheDir);
      // A directory of its own: another test JVM may be assembling the same key.
      Path work = Files.createTempDirectory(cacheDir, key + ".tmp-");
      try {
        assemble(jdk, work);
        Commands.run(List.of("rm", "-rf", work.resolve("root").toString()));
        if (!Files.isRegularFile(tarball)) {
          Commands.run(List.of("rm", "-rf", dir.toString()));
          Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        Commands.run(List.of("rm", "-rf", work.toString()));
      }
      // older bases of the same JDK line (vendor and feature release) go; another JDK's stay
      String line = key.replaceFirst("^([^-]*-[0-9]+).*$", "$1");
      try (Stream<Path> others = Files.list(cacheDir)) {
        for (Path other : others.filter(p -> !p.equals(dir)).toList()) {
          String name = other.getFileName().toString();
          if (!name.contains(".tmp-")
              && name.replaceFirst("^([^-]*-[0-9]+).*$", "$1").equals(line)) {
            Commands.run(List.of("rm", "-rf", other.toString()));
          }
        }
      }
      return tarball;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot assemble the base image under " + cacheDir, e);
    }
  }

  /**
   * A digest of what the base is made of: the modules and jlink flags, and the path, size and
   * modification time of every file of this JDK and of every library {@code ldd} finds for its
   * binaries.
   */
  private static String inputsDigest(Path javaHome) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((MODULES + " " + String.join(" ", JLINK_FLAGS)).getBytes(UTF_8));
      TreeSet<Path> files = new TreeSet<>();
      try (Stream<Path> all = Files.walk(javaHome)) {
        all.filter(Files::isRegularFile).forEach(files::add);
      }
      for (String lib : sharedLibraries(javaHome)) {
        files.add(Path.of(lib));
      }
      for (Path f : files) {
        digest.update(
            (f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
                .getBytes(UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the JDK under " + javaHome, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assemble(Path jdk, Path work) throws IOException {
    Path root = work.resolve("root");
    Path jlink = jdk.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      throw new AssertionError("the JDK at " + jdk + " has no bin/jlink");
    }
    Path javaHome = root.resolve(JAVA_HOME.substring(1));
    Files.createDirectories(javaHome.getParent());
    check(
        Commands.run(
            List.of(
                jlink.toString(),
                "--add-modules",
                MODULES,
                JLINK_FLAGS.get(0),
                JLINK_FLAGS.get(1),
                JLINK_FLAGS.get(2),
                JLINK_FLAGS.get(3),
                "--output",
                javaHome.toString()),
            work,
            Map.of(),
            Duration.ofMinutes(5)));
    for (String lib : sharedLibraries(javaHome)) {
      Path target = root.resolve(lib.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING);
    }
    Path etc = Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nsurge:x:10001:10001:surge:/app:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nsurge:x:10001:\n");
    // names from the kubelet's /etc/hosts first, as the distribution images have it
    Files.writeString(etc.resolve("nsswitch.conf"), "hosts: files dns\n");
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    // sticky bit as on every /tmp (no PosixFilePermission for it)
    check(Commands.run(List.of("chmod", "1777", tmp.toString())));

    Path layer = work.resolve("layer.tar");
    List<String> tar =
        new ArrayList<>(
            List.of(
                "tar",
                "--sort=name",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "--mtime=@1",
                "-C",
                root.toString(),
                "-cf",
                layer.toString()));
    tar.addAll(topLevelNames(root));
    check(Commands.run(tar, work, Map.of(), Duration.ofMinutes(5)));

    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", architecture()).put("os", "linux");
    config
        .putObject("config")
        .putArray("Env")
        .add("PATH=" + JAVA_HOME + "/bin:/usr/bin:/bin")
        .add("JAVA_HOME=" + JAVA_HOME);
    config
        .putObject("rootfs")
        .put("type", "layers")
        .putArray("diff_ids")
        .add("sha256:" + sha256(layer));
    Files.writeString(work.resolve("config.json"), JSON.writeValueAsString(config));
    var manifest = JSON.createArrayNode().addObject();
    manifest.put("Config", "config.json");
    manifest
        .putArray("RepoTags")
        .add("surge-test/jre:" + release(jdk).getOrDefault("JAVA_VERSION", "unknown"));
    manifest.putArray("Layers").add("layer.tar");
    Files.writeString(work.resolve("manifest.json"), "[" + JSON.writeValueAsString(manifest) + "]");
    check(
        Commands.run(
            List.of("tar", "-cf", "base.tar", "manifest.json", "config.json", "layer.tar"),
            work,
            Map.of(),
            Duration.ofMinutes(5)));
    Files.delete(layer);
  }

  /** Absolute paths of the libraries {@code ldd} resolves for the runtime's binaries. */
  private static Set<String> sharedLibraries(Path javaHome) throws IOException {
    Path ldd = Tools.require("ldd", "libc-bin");
    List<Path> binaries = new ArrayList<>();
    binaries.add(javaHome.resolve("bin/java"));
    try (Stream<Path> files = Files.walk(javaHome.resolve("lib"))) {
      files.filter(p -> p.getFileName().toString().endsWith(".so")).forEach(binaries::add);
    }
    TreeSet<String> libs = new TreeSet<>();
    for (Path binary : binaries) {
      Commands.Result r = Commands.run(List.of(ldd.toString(), binary.toString()));
      Matcher m = LDD_PATH.matcher(r.stdout());
      while (m.find()) {
        String lib = m.group(1);
        if (!lib.startsWith(javaHome.toString()) && !lib.contains("/../")) {
          libs.add(lib);
        }
      }
    }
    if (libs.stream().noneMatch(l -> l.contains("/libc.so"))) {
      throw new AssertionError("ldd found no libc for " + javaHome + "/bin/java: " + libs);
    }
    return libs;
  }

  private static List<String> topLevelNames(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(Commands.Result r) {
    if (r.exitCode() != 0) {
      throw new AssertionError(r.describe());
    }
  }
}
