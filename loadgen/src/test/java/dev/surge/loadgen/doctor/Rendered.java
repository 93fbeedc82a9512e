package dev.surge.loadgen.doctor;

import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The repository's overlays rendered by the real {@code kubectl kustomize} (each once per test
 * JVM), and the doctor run against a {@link FixtureCluster}.
 */
final class Rendered {
  private static final Map<String, Overlay> CACHE = new ConcurrentHashMap<>();

  /** The doctor's output and exit code. */
  record Report(int code, String out) {
    /** The check lines: every line but the header and the summary. */
    List<String> lines() {
      List<String> all = out.lines().toList();
      return all.subList(1, all.size() - 1);
    }

    List<String> lines(String status, String check) {
      return lines().stream()
          .filter(l -> l.startsWith(String.format("%-8s %-14s ", status, check)))
          .toList();
    }
  }

  private Rendered() {}

  static Path kubectl() {
    return Tools.require("kubectl", "kubectl");
  }

  /** The overlay names under k8s/overlays, as the doctor resolves them. */
  static Stream<String> overlayNames() {
    try (Stream<Path> s = Files.list(Path.of("..", "k8s", "overlays"))) {
      return s
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Overlay overlay(String name) {
    return CACHE.computeIfAbsent(
        name,
        n ->
            Overlay.render(
                new KubectlProcess(kubectl(), Map.of(), List.of()),
                OverlayLocator.resolve(n, Path.of("")),
                "surge"));
  }

  static Report doctor(String overlay, Cluster cluster) {
    StringWriter sw = new StringWriter();
    int code =
        new Doctor(Doctor.checks())
            .run(overlay(overlay), cluster, "kind-surge", new PrintWriter(sw));
    return new Report(code, sw.toString());
  }
}
