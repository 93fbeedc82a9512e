package dev.surge.loadgen.output;

import dev.surge.loadgen.record.Interval;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The HdrHistogram interval log of a run ({@code --hdr-log}): every interval's corrected histogram tagged {@code
 * corrected} and uncorrected one tagged {@code uncorrected}, with timestamps relative to the run start. Readable by
 * HdrHistogram's tools (HistogramLogProcessor) and by {@code merge}.
 */
public final class HdrLog implements AutoCloseable {
  public static final String CORRECTED = "corrected";
  public static final String UNCORRECTED = "uncorrected";

  private final PrintStream stream;
  private final HistogramLogWriter writer;
  private final long startMillis;

  /**
   * Opens the log and writes its header.
   *
   * @param startEpochMillis wall-clock time of the run start, the log's base time
   */
  public HdrLog(Path path, long startEpochMillis) {
    try {
      Path abs = path.toAbsolutePath();
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      this.stream = new PrintStream(abs.toFile(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write HDR log " + path + ": " + e.getMessage(), e);
    }
    this.startMillis = startEpochMillis;
    this.writer = new HistogramLogWriter(stream);
    writer.outputLogFormatVersion();
    writer.outputComment("surge-loadgen latency in microseconds; tags: corrected (from intended send), uncorrected");
    writer.outputStartTime(startEpochMillis);
    writer.setBaseTime(startEpochMillis);
    writer.outputLegend();
  }

  /** Appends one interval's histograms. */
  public synchronized void append(Interval i) {
    write(i.corrected(), CORRECTED, i);
    write(i.uncorrected(), UNCORRECTED, i);
    stream.flush();
  }

  private void write(Histogram h, String tag, Interval i) {
    Histogram copy = h.copy();
    copy.setStartTimeStamp(startMillis + Math.round(i.startSeconds() * 1000));
    copy.setEndTimeStamp(startMillis + Math.round(i.endSeconds() * 1000));
    copy.setTag(tag);
    writer.outputIntervalHistogram(copy);
  }

  @Override
  public synchronized void close() {
    stream.close();
  }
}
