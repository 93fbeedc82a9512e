package dev.surge.loadgen.output;

import dev.surge.loadgen.output.RunResult.IntervalResult;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The live progress line, once per interval: elapsed, target vs achieved rate, corrected p50/p99,
 * errors, dropped, in-flight and backends seen. On a terminal it rewrites one line in place;
 * otherwise (a log, a pipe, a Kubernetes pod) it prints one line per interval so the history stays
 * readable.
 */
public final class Progress {
  private final PrintWriter out;
  private final boolean inPlace;
  private boolean pendingLine;
  private long errors;
  private long dropped;
  private Supplier<String> suffix = () -> "";

  /**
   * @param inPlace rewrite the line in place (a terminal: {@code System.console() != null})
   */
  public Progress(PrintWriter out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  /** Progress switched off ({@code --progress off}): a do-nothing object that prints nothing. */
  public static Progress off() {
    return new Progress(new PrintWriter(Writer.nullWriter()), false);
  }

  /** Prints the line for one interval; {@code backendsSeen} counts distinct backends so far. */
  public synchronized void update(IntervalResult i, int backendsSeen) {
    errors += i.errors();
    dropped += i.dropped();
    String extra = suffix.get();
    String line = line(i, errors, dropped, backendsSeen) + (extra.isEmpty() ? "" : "  " + extra);
    if (inPlace) {
      // Carriage return and clear-to-end-of-line: the same terminal line shows the latest interval.
      out.print("\r" + line + "\033[K");
      pendingLine = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Text appended to every line (the live scaling view's replicas); empty by default. */
  public synchronized void suffix(Supplier<String> suffix) {
    this.suffix = suffix;
  }

  /** Ends the in-place line so the summary starts on a fresh one. */
  public synchronized void finish() {
    if (pendingLine) {
      out.println();
      out.flush();
      pendingLine = false;
    }
  }

  static String line(IntervalResult i, long errors, long dropped, int backends) {
    return String.format(
        Locale.ROOT,
        "%7.1fs  target %8.1f/s  achieved %8.1f/s  p50 %8.2fms  p99 %8.2fms  errors %d  dropped %d  in-flight %d"
            + "  backends %d",
        i.t(),
        i.targetRate(),
        i.achievedRate(),
        i.latencyMillis().corrected().p50(),
        i.latencyMillis().corrected().p99(),
        errors,
        dropped,
        i.inFlight(),
        backends);
  }
}
