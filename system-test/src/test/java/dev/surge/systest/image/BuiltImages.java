package dev.surge.systest.image;

import dev.surge.systest.support.Commands;
import dev.surge.systest.support.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Both images built here and unpacked, for one test class: the base from this JDK ({@link
 * JreBase}), the Jib build ({@link JibImages}), each tarball opened and its layers unpacked into a
 * root filesystem under a fresh work directory in {@code system-test/target}. {@link #close()}
 * deletes the work directory (the base stays in the user's cache: {@link JreBase#tarball()}).
 */
final class BuiltImages implements AutoCloseable {
  final Path work;
  final ImageArchive app;
  final ImageArchive loadgen;
  final Path appRootfs;
  final Path loadgenRootfs;
  final long baseMillis;
  final long jibMillis;

  private BuiltImages(
      Path work,
      ImageArchive app,
      ImageArchive loadgen,
      Path appRootfs,
      Path loadgenRootfs,
      long baseMillis,
      long jibMillis) {
    this.work = work;
    this.app = app;
    this.loadgen = loadgen;
    this.appRootfs = appRootfs;
    this.loadgenRootfs = loadgenRootfs;
    this.baseMillis = baseMillis;
    this.jibMillis = jibMillis;
  }

  /** Builds and unpacks both images; fails unless run as root (mounts, chroot, namespaces). */
  static BuiltImages build() {
    if (!Commands.run(List.of("id", "-u")).stdout().trim().equals("0")) {
      throw new AssertionError(
          "the image tests run containers with namespaces, mounts and chroot: run them as root (CI"
              + " does)");
    }
    Path target = RepoPaths.resolve("system-test/target");
    Path work;
    try {
      work = Files.createTempDirectory(Files.createDirectories(target), "images-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long start = System.nanoTime();
      Path base = JreBase.tarball();
      long baseMillis = (System.nanoTime() - start) / 1_000_000;
      JibImages.Built built = JibImages.build(base, work);
      ImageArchive app = ImageArchive.open(built.app(), work.resolve("app-image"));
      ImageArchive loadgen = ImageArchive.open(built.loadgen(), work.resolve("loadgen-image"));
      BuiltImages images =
          new BuiltImages(
              work,
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

  @Override
  public void close() {
    Commands.run(List.of("rm", "-rf", work.toString()));
  }
}
