package dev.surge.lab;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab jar run as a process by the ITs, its output in a file, with what the ITs read from it:
 * the pods' pids, when each became ready (the progress time of the line before), progress lines,
 * the Service's and the live page's URLs, the result file.
 *
 * <p>The ITs' shared command line is built here ({@link #builder}): {@code run --fast --progress
 * lines --work-dir DIR/logs}, the result in {@code DIR/result.json}, and {@link Builder#scaleOut()}
 * for the settings that make a busy 2-core machine scale out to 3-4 pods and back to 2 on CPU.
 * {@link #start(Path, List)} runs any other command line.
 *
 * <pre>{@code
 * try (LabProcess lab = LabProcess.builder(dir).scaleOut().profile("hold:12/45s").start()) {
 *   assertThat(lab.waitFor(300)).isZero();
 *   JsonNode timeline = lab.result().path("scaling").path("timeline");
 * }
 * }</pre>
 *
 * <p>Thread-safety: the test thread and Awaitility's poller may call the readers at once; each
 * reads the output file anew.
 */
final class LabProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("surge.lab.jar", "target/surge-lab.jar"));
  static final Path APP_JAR =
      Path.of(System.getProperty("surge.app.jar", "../app/target/surge-app.jar"));
  static final Path REPO = Path.of(System.getProperty("surge.repo.root", ".."));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREATED =
      Pattern.compile("^pod +(\\S+) container (?:started|restarted) \\(pid (\\d+)\\)");
  private static final Pattern READY = Pattern.compile("^pod +(\\S+) ready$");
  private static final Pattern PROGRESS =
      Pattern.compile("^\\s*(\\d+\\.\\d)s  target .* ready (\\d+)");
  private static final Pattern SERVICE = Pattern.compile("^service +http://127\\.0\\.0\\.1:(\\d+)");

  /** The live page's line ({@code --ui}), the first the lab prints. */
  static final Pattern UI = Pattern.compile("^ui +(http://127\\.0\\.0\\.1:\\d+/)");

  final Process process;
  final Path output;
  private final Path result;

  private LabProcess(Process process, Path output, Path result) {
    this.process = process;
    this.output = output;
    this.result = result;
  }

  /** Runs {@code java -jar surge-lab.jar ARGS} from the repository root, output to dir/lab.out. */
  static LabProcess start(Path dir, List<String> args) throws IOException {
    return start(dir, args, dir.resolve("result.json"));
  }

  private static LabProcess start(Path dir, List<String> args, Path result) throws IOException {
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
    return new LabProcess(p, out, result);
  }

  /** {@code lab run} for the ITs, working in {@code dir}. */
  static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** The ITs' {@code lab run} command line. */
  static final class Builder {
    private final Path dir;
    private final List<String> args = new ArrayList<>();
    private boolean out = true;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * The settings under which the shipped HPA scales a busy 2-core machine out to 3-4 pods on CPU
     * and back to 2: a CPU request of 50m (a flag the lab has for this) against {@code
     * /api/work?cpuMillis=10}, 800 ms of added latency per request (it keeps ~10 connections busy,
     * so balancing is measurable), generous timeouts (a busy machine may stall a JVM for seconds: a
     * slow response is not the failure these tests look for), and at most 4 pods (with N pods a
     * fair share is 1/N, and a per-pod floor of 15 % means something only while 1/N is well above
     * it). About 120m of CPU at 12 requests/s: 3-4 pods at 70 % of 50m.
     */
    Builder scaleOut() {
      return args(
          "--cpu-request",
          "50m",
          "--path",
          "/api/work?cpuMillis=10",
          "--pod-arg=--added-latency=800ms",
          "--timeout",
          "120s",
          "--idle-timeout",
          "60s",
          "--replica-cap",
          "4");
    }

    /** {@code --profile}. */
    Builder profile(String profile) {
      return args("--profile", profile);
    }

    /** {@code --ui}: the live page on a free port, its URL the first line. */
    Builder ui() {
      return args("--ui");
    }

    /** {@code --report DIR/report.html}. */
    Builder report() {
      return args("--report", dir.resolve("report.html").toString());
    }

    /** Without {@code --out} (the result file is written by default). */
    Builder noResult() {
      out = false;
      return this;
    }

    /** More flags, after the ones set so far. */
    Builder args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** The whole command line after {@code java -jar surge-lab.jar}. */
    List<String> command() {
      List<String> cmd =
          new ArrayList<>(
              List.of("run", "--fast", "--progress", "lines", "--work-dir", logs().toString()));
      cmd.addAll(args);
      if (out) {
        cmd.addAll(List.of("--out", result().toString()));
      }
      return cmd;
    }

    Path logs() {
      return dir.resolve("logs");
    }

    Path result() {
      return dir.resolve("result.json");
    }

    LabProcess start() throws IOException {
      return LabProcess.start(dir, command(), result());
    }
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

  /** The result file ({@code --out}), once the lab has exited. */
  JsonNode result() {
    try {
      return JSON.readTree(result.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("no result file " + result + "\n" + text(), e);
    }
  }

  /** The Service's port from the {@code service} line, once printed. */
  Optional<Integer> servicePort() {
    return first(SERVICE).map(Integer::parseInt);
  }

  /** The live page's URL from the {@code ui} line ({@code --ui}), once printed. */
  Optional<String> uiUrl() {
    return first(UI);
  }

  private Optional<String> first(Pattern pattern) {
    for (String line : lines()) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /**
   * Waits until the output contains {@code text} or the lab exits; true when it is there.
   *
   * @param atMost the deadline (Awaitility fails the test after it)
   */
  boolean awaitOutput(String text, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> text().contains(text) || !process.isAlive());
    return text().contains(text);
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
        .flatMap(Optional::stream)
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the lab did not exit within " + seconds + "s:\n" + text());
    }
    return process.exitValue();
  }

  /** The largest {@code key} over a result array (timeline, simulated). */
  static int max(JsonNode array, String key) {
    int m = 0;
    for (JsonNode n : array) {
      m = Math.max(m, n.path(key).asInt());
    }
    return m;
  }

  /** The first entry of a timeline whose {@code key} is above {@code value}, or null. */
  static JsonNode firstAbove(JsonNode array, String key, int value) {
    for (JsonNode n : array) {
      if (n.path(key).asInt() > value) {
        return n;
      }
    }
    return null;
  }

  /** Responses per pod in the result's intervals ending within (from, to]. */
  static Map<String, Long> served(JsonNode result, double from, double to) {
    Map<String, Long> m = new TreeMap<>();
    for (JsonNode i : result.path("intervals")) {
      double t = i.path("t").asDouble();
      if (t > from && t <= to) {
        for (Map.Entry<String, JsonNode> e : i.path("backends").properties()) {
          m.merge(e.getKey(), e.getValue().asLong(), Long::sum);
        }
      }
    }
    return m;
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
