package dev.surge.loadgen.distributed;

import dev.surge.loadgen.output.HistogramCodec;
import dev.surge.loadgen.output.RunResult.Histograms;
import dev.surge.loadgen.record.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps every interval's histograms of this shard, encoded (a few hundred bytes to a few KB per
 * second), to send them to shard 0 at the end: what makes the merged interval percentiles exact.
 * Fed from the interval thread; read once after the run ({@link #encoded} is safe from any thread).
 */
final class IntervalHistograms implements Consumer<Interval> {
  private final List<Histograms> encoded = new ArrayList<>();

  @Override
  public synchronized void accept(Interval i) {
    encoded.add(
        new Histograms(
            HistogramCodec.encode(i.corrected()), HistogramCodec.encode(i.uncorrected())));
  }

  synchronized List<Histograms> encoded() {
    return List.copyOf(encoded);
  }
}
