package dev.surge.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab jar run as a process by the ITs, its output in a file, with what the ITs read from it:
 * the pods' pids, when each became ready (the progress time of the line before), progress lines.
 */
final class LabProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("surge.lab.jar", "target/surge-lab.jar"));
  static final Path APP_JAR =
      Path.of(System.getProperty("surge.app.jar", "../app/target/surge-app.jar"));
  static final Path REPO = Path.of(System.getProperty("surge.repo.root", ".."));

  private static final Pattern CREATED =
      Pattern.compile("^pod +(\\S+) container (?:started|restarted) \\(pid (\\d+)\\)");
  private static final Pattern READY = Pattern.compile("^pod +(\\S+) ready$");
  private static final Pattern PROGRESS =
      Pattern.compile("^\\s*(\\d+\\.\\d)s  target .* ready (\\d+)");

  final Process process;
  final Path output;

  private LabProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static LabProcess start(Path dir, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(args);
    Path out = dir.resolve("lab.out");
    Process p =
        new ProcessBuilder(cmd)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    return new LabProcess(p, out);
  }

  List<String> lines() {
    try {
      return Files.readAllLines(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  String text() {
    return String.join("\n", lines());
  }

  /** Pod name → pid, from the "created" events. */
  Map<String, Long> pids() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String l : lines()) {
      Matcher c = CREATED.matcher(l);
      if (c.find()) {
        m.put(c.group(1), Long.parseLong(c.group(2)));
      }
    }
    return m;
  }

  /**
   * Pod name → load time (s) of the last progress line before it turned ready (0 before the load).
   */
  Map<String, Double> readyAt() {
    Map<String, Double> m = new LinkedHashMap<>();
    double t = 0;
    for (String l : lines()) {
      Matcher p = PROGRESS.matcher(l);
      if (p.find()) {
        t = Double.parseDouble(p.group(1));
      }
      Matcher r = READY.matcher(l);
      if (r.find()) {
        m.putIfAbsent(r.group(1), t);
      }
    }
    return m;
  }

  /** Progress lines as (t, ready pods). */
  List<double[]> progress() {
    List<double[]> rows = new ArrayList<>();
    for (String l : lines()) {
      Matcher p = PROGRESS.matcher(l);
      if (p.find()) {
        rows.add(new double[] {Double.parseDouble(p.group(1)), Integer.parseInt(p.group(2))});
      }
    }
    return rows;
  }

  /** The pods' processes that are still alive. */
  List<ProcessHandle> livePods() {
    return pids().values().stream()
        .map(ProcessHandle::of)
        .flatMap(java.util.Optional::stream)
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the lab did not exit within " + seconds + "s:\n" + text());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    for (ProcessHandle h : livePods()) {
      h.destroyForcibly();
    }
  }
}
