package dev.surge.systest.image;

import dev.surge.systest.support.Commands;
import dev.surge.systest.support.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Both images built here and unpacked, for one test class: the base from a JDK on this machine
 * ({@link JreBase}; the images' JDK 25 unless told otherwise), the Jib build ({@link JibImages}),
 * each tarball opened and its layers unpacked into a root filesystem under a fresh work directory
 * in {@code system-test/target}. {@link #close()} deletes the work directory (the base stays in the
 * user's cache: {@link JreBase#tarball(Path)}).
 */
final class BuiltImages implements AutoCloseable {
  final Path work;
  final Path base;
  final ImageArchive app;
  final ImageArchive loadgen;
  final Path appRootfs;
  final Path loadgenRootfs;
  final long baseMillis;
  final long jibMillis;

  private BuiltImages(
      Path work,
      Path base,
      ImageArchive app,
      ImageArchive loadgen,
      Path appRootfs,
      Path loadgenRootfs,
      long baseMillis,
      long jibMillis) {
    this.work = work;
    this.base = base;
    this.app = app;
    this.loadgen = loadgen;
    this.appRootfs = appRootfs;
    this.loadgenRootfs = loadgenRootfs;
    this.baseMillis = baseMillis;
    this.jibMillis = jibMillis;
  }

  /**
   * Builds and unpacks both images on the images' JDK 25 base ({@link JreBase#imageJdk()}); fails
   * unless run as root (mounts, chroot, namespaces).
   */
  static BuiltImages build() {
    return build(JreBase.imageJdk(), "");
  }

  /**
   * Builds and unpacks both images on a base jlinked from {@code jdk}, under a work directory whose
   * name starts with {@code images-<label>}.
   */
  static BuiltImages build(Path jdk, String label) {
    if (!Commands.run(List.of("id", "-u")).stdout().trim().equals("0")) {
      throw new AssertionError(
          "the image tests run containers with namespaces, mounts and chroot: run them as root (CI"
              + " does)");
    }
    Path target = RepoPaths.resolve("system-test/target");
    Path work;
    try {
      work = Files.createTempDirectory(Files.createDirectories(target), "images-" + label);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long start = System.nanoTime();
      Path base = JreBase.tarball(jdk);
      long baseMillis = (System.nanoTime() - start) / 1_000_000;
      JibImages.Built built = JibImages.build(base, work);
      ImageArchive app = ImageArchive.open(built.app(), work.resolve("app-image"));
      ImageArchive loadgen = ImageArchive.open(built.loadgen(), work.resolve("loadgen-image"));
      BuiltImages images =
          new BuiltImages(
              work,
              base,
              app,
              loadgen,
              app.unpack(work.resolve("app/rootfs")),
              loadgen.unpack(work.resolve("loadgen/rootfs")),
              baseMillis,
              built.took().toMillis());
      System.out.printf(
          "images: base %d ms (%s), Jib %d ms; surge-app %.1f MB (compressed layers, base"
              + " included), surge-loadgen %.1f MB%n",
          baseMillis,
          base,
          images.jibMillis,
          app.compressedBytes() / 1e6,
          loadgen.compressedBytes() / 1e6);
      return images;
    } catch (RuntimeException | Error e) {
      Commands.run(List.of("rm", "-rf", work.toString()));
      throw e;
    }
  }

  /** One app image unpacked: its archive and its root filesystem. */
  record AppImage(ImageArchive image, Path rootfs) {}

  /** The path of the app image's AOT cache ({@code -Pimage-aot}, app/pom.xml). */
  static final String AOT_CACHE = "/app/aot/surge-app.aot";

  /**
   * The release's second build of the app image: the {@code image-aot} profile on the same base,
   * with {@code cache} (a file, copied as {@code surge-app.aot}) as its {@code /app/aot} layer;
   * unpacked under {@code <work>/aot-<label>}. It rewrites {@code app/target/surge-app-image.tar}
   * (the first build's tarball is unpacked already).
   */
  AppImage appWithAotCache(Path cache, String label) {
    try {
      Path dir = Files.createDirectories(work.resolve("aot-" + label + "/layer"));
      Files.copy(
          cache, dir.resolve("surge-app.aot"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      JibImages.Built built =
          JibImages.build(
              base, work, "app", "image-tar,image-aot", List.of("-Dimage.aot.dir=" + dir));
      ImageArchive image = ImageArchive.open(built.app(), work.resolve("aot-" + label + "/image"));
      return new AppImage(image, image.unpack(work.resolve("aot-" + label + "/rootfs")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Commands.run(List.of("rm", "-rf", work.toString()));
  }
}
