package dev.surge.cluster.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one reader of a local process's CPU and memory, for the lab's metrics-server and the system
 * tests' cAdvisor stand-in: what the kubelet's cAdvisor reads for a container, with the cgroup
 * around it taken away (Linux only, from {@code /proc}).
 *
 * <ul>
 *   <li><b>CPU seconds</b>: {@code utime + stime} of {@code /proc/<pid>/stat} (fields 14 and 15,
 *       every thread), in ticks of {@code USER_HZ}, read from {@code getconf CLK_TCK} once ({@link
 *       ClockTicks}). cAdvisor's {@code container_cpu_usage_seconds_total} is the cgroup's {@code
 *       cpuacct.usage}/{@code cpu.stat usage_usec}: the same time, summed over the container's
 *       processes (one here).
 *   <li><b>Working set</b>: {@code VmRSS} of {@code /proc/<pid>/status} (anonymous + file-backed +
 *       shared resident pages). cAdvisor's {@code container_memory_working_set_bytes} — what
 *       metrics-server reports and the HPA reads — is the cgroup's usage minus its inactive file
 *       cache: a JVM's heap and metaspace (anonymous, the bulk of it) count in both; the cgroup
 *       also counts active page cache the process touched (its jar, logs), which RSS shows only for
 *       mapped files. For a JVM pod the two differ by a few MiB.
 * </ul>
 *
 * <pre>{@code
 * ProcessUsage.read(pid).ifPresent(u -> System.out.println(u.cpuSeconds() + " s, " + u.workingSetBytes() + " B"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 *
 * @param cpuSeconds CPU seconds the process has used so far
 * @param workingSetBytes its resident memory in bytes (the working set's stand-in)
 */
public record ProcessUsage(double cpuSeconds, long workingSetBytes) {

  /** The process's usage now, empty when it is gone (or not readable). */
  public static Optional<ProcessUsage> read(long pid) {
    Path dir = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      String status = Files.readString(dir.resolve("status"), StandardCharsets.UTF_8);
      return Optional.of(new ProcessUsage(cpuSeconds(stat), residentBytes(status)));
    } catch (IOException | IllegalArgumentException e) {
      // Gone between the listing and the read (or a zombie without a status): no sample, as
      // cAdvisor has none for a container that has exited.
      return Optional.empty();
    }
  }

  /** CPU seconds of {@code pid}, empty when it is gone. */
  public static Optional<Double> cpuSeconds(long pid) {
    return read(pid).map(ProcessUsage::cpuSeconds);
  }

  /** Working set (resident) bytes of {@code pid}, empty when it is gone. */
  public static Optional<Long> workingSetBytes(long pid) {
    return read(pid).map(ProcessUsage::workingSetBytes);
  }

  /**
   * CPU seconds from one {@code stat} line. The command name (field 2) is in parentheses and may
   * hold spaces, so fields are counted after its closing parenthesis.
   */
  static double cpuSeconds(String stat) {
    return cpuSeconds(stat, ClockTicks.perSecond());
  }

  static double cpuSeconds(String stat, double ticksPerSecond) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12].
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / ticksPerSecond;
  }

  /** {@code VmRSS} in bytes from {@code /proc/<pid>/status} ("VmRSS: 123456 kB"). */
  static long residentBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
      }
    }
    throw new IllegalArgumentException("no VmRSS in /proc/<pid>/status (a zombie?)");
  }
}
