package dev.surge.lab.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Reads a process's CPU time from {@code /proc/<pid>/stat}: {@code utime + stime} (fields 14 and
 * 15, all threads), in clock ticks of {@code USER_HZ}, which Linux fixes at 100 for user space.
 * This is the counter cAdvisor reads for a container, minus the cgroup around it.
 */
public final class ProcStat {
  static final double TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /** CPU seconds used by {@code pid} so far, empty when the process is gone. */
  public static OptionalDouble cpuSeconds(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(parse(text));
  }

  /**
   * CPU seconds from one {@code stat} line. The command name (field 2) is in parentheses and may
   * hold spaces, so fields are counted after its closing parenthesis.
   */
  static double parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12].
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  }
}
