package dev.surge.app.burn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Burns CPU time on the calling thread, measured as thread CPU time rather than wall time: on a
 * busy machine a request that asks for 50 ms then really costs 50 ms of a core, which is what makes
 * {@code rate × cpuMillis} equal the cores used (the HPA demo relies on it).
 */
public final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

  // Written after each burn so the JIT cannot drop the arithmetic as dead code.
  @SuppressWarnings("unused")
  private static volatile double sink;

  private ThreadCpu() {}

  /**
   * CPU time of the calling thread in nanoseconds (wall time where the JVM cannot measure thread
   * CPU time).
   */
  public static long now() {
    return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /**
   * Spins until the calling thread has used {@code nanos} more nanoseconds of CPU time.
   *
   * @return the CPU nanoseconds actually used, at least {@code nanos}
   */
  public static long burn(long nanos) {
    if (nanos <= 0) {
      return 0; // no thread-CPU clock read (a system call) for a request that burns nothing
    }
    long start = now();
    long end = start + nanos;
    double x = 1.0;
    long t;
    do {
      // A small batch of arithmetic between clock reads keeps the clock's own cost out of the way.
      for (int i = 0; i < 2_000; i++) {
        x = x * 1.000_000_1 + 1e-9;
      }
      t = now();
    } while (t < end);
    sink = x;
    return t - start;
  }
}
