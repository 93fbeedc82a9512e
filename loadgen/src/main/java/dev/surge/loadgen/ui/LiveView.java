package dev.surge.loadgen.ui;

import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a run tells the live page ({@code --ui}): its description once, then every interval, every
 * scaling sync and every event as they happen, and the result at the end. {@link #off()} is the
 * do-nothing view used without {@code --ui}: nothing is serialized, queued or served.
 *
 * <p>Concurrency: every method may be called from any thread and returns at once; an implementation
 * never blocks the run (a slow browser is dropped, a full publishing queue drops the update and
 * counts it).
 */
public interface LiveView extends AutoCloseable {
  /** The run's description: {@code config}, {@code startedAt}, and a {@code scaling} header. */
  void started(Map<String, Object> hello);

  /**
   * What the scaling view is before its first sync: {@code source} ({@code lab}, {@code
   * prometheus}) and its settings ({@code lab.targetUtilizationPercent}, ...), the keys of the
   * result's {@code scaling} object without the timeline.
   */
  void scalingInfo(Map<String, Object> header);

  /** One interval, as the result file's {@code intervals[]} records it. */
  void interval(IntervalResult interval);

  /** One scaling sync, as the result file's {@code scaling.timeline[]} records it. */
  void scaling(Object timelineEntry);

  /**
   * What the run has cost so far (the lab's {@code cost} object as the result file records it,
   * recomputed every interval while the load runs; the last one sent before {@link #ended} is the
   * result's own).
   */
  void cost(Object cost);

  /** Where the run's events go to reach the page. */
  EventSink events();

  /** The run is over: its result (summary, checks, scaling, events). */
  void ended(RunResult result);

  /** The page's URL, empty when off. */
  String url();

  /** Stops serving (after giving connected pages a moment to receive the end). */
  @Override
  void close();

  /** The view when {@code --ui} is off: does nothing. */
  static LiveView off() {
    return Off.INSTANCE;
  }

  /**
   * A view that forwards everything to {@code view} except the end, which goes to {@code instead}:
   * for a caller that sends the end itself once it has added to the result (the lab's cost, the
   * merged result of a distributed run). Closing it does not close {@code view}.
   */
  static LiveView withoutEnd(LiveView view, Consumer<RunResult> instead) {
    return new WithoutEnd(view, instead);
  }

  /** The do-nothing view. */
  enum Off implements LiveView {
    INSTANCE;

    @Override
    public void started(Map<String, Object> hello) {}

    @Override
    public void scalingInfo(Map<String, Object> header) {}

    @Override
    public void interval(IntervalResult interval) {}

    @Override
    public void scaling(Object timelineEntry) {}

    @Override
    public void cost(Object cost) {}

    @Override
    public EventSink events() {
      return EventSink.none();
    }

    @Override
    public void ended(RunResult result) {}

    @Override
    public String url() {
      return "";
    }

    @Override
    public void close() {}
  }
}
