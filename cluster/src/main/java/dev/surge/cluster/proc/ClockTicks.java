package dev.surge.cluster.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code USER_HZ}, the unit of {@code /proc/<pid>/stat}'s CPU times, asked of {@code getconf
 * CLK_TCK} once per JVM. Linux has fixed it at 100 on every architecture since 2.6 (the kernel's
 * {@code HZ} varies, {@code USER_HZ} does not), so 100 is the answer when {@code getconf} is
 * missing or says something unusable.
 */
final class ClockTicks {
  /** Linux's {@code USER_HZ} on every architecture. */
  static final double LINUX_USER_HZ = 100;

  private ClockTicks() {}

  private static final class Holder {
    static final double VALUE = ask();
  }

  static double perSecond() {
    return Holder.VALUE;
  }

  static double ask() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      try {
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          return LINUX_USER_HZ;
        }
        return parse(text);
      } finally {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      return LINUX_USER_HZ;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LINUX_USER_HZ;
    }
  }

  static double parse(String text) {
    try {
      double v = Double.parseDouble(text.strip());
      return v > 0 ? v : LINUX_USER_HZ;
    } catch (NumberFormatException e) {
      return LINUX_USER_HZ;
    }
  }
}
