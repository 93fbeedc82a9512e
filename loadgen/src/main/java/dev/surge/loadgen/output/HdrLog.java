package dev.surge.loadgen.output;

import dev.surge.loadgen.record.Interval;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The HdrHistogram interval log of a run ({@code --hdr-log}): every interval's corrected histogram
 * tagged {@code corrected} and uncorrected one tagged {@code uncorrected}, with timestamps relative
 * to the run start. Readable by HdrHistogram's tools (HistogramLogProcessor) and by {@code merge}.
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
    writer.outputComment(
        "surge-loadgen latency in microseconds; tags: corrected (from intended send), uncorrected");
    writer.outputStartTime(startEpochMillis);
    writer.setBaseTime(startEpochMillis);
    writer.outputLegend();
  }

  /** Appends one interval's histograms. */
  public void append(Interval i) {
    append(i.startSeconds(), i.endSeconds(), i.corrected(), i.uncorrected());
  }

  /** Appends one interval given by its bounds (seconds since the start) and histograms. */
  public synchronized void append(
      double startSeconds, double endSeconds, Histogram corrected, Histogram uncorrected) {
    write(corrected, CORRECTED, startSeconds, endSeconds);
    write(uncorrected, UNCORRECTED, startSeconds, endSeconds);
    stream.flush();
  }

  private void write(Histogram h, String tag, double startSeconds, double endSeconds) {
    Histogram copy = h.copy();
    copy.setStartTimeStamp(startMillis + Math.round(startSeconds * 1000));
    copy.setEndTimeStamp(startMillis + Math.round(endSeconds * 1000));
    copy.setTag(tag);
    writer.outputIntervalHistogram(copy);
  }

  /**
   * Reads the histograms of one tag from a log written by this class, in interval order.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read
   */
  public static List<Histogram> read(Path path, String tag) {
    List<Histogram> out = new ArrayList<>();
    try (org.HdrHistogram.HistogramLogReader reader =
        new org.HdrHistogram.HistogramLogReader(path.toFile())) {
      org.HdrHistogram.EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        if (tag.equals(h.getTag()) && h instanceof Histogram hist) {
          out.add(hist);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read HDR log " + path + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    stream.close();
  }
}
