package dev.surge.loadgen.ui;

import dev.surge.loadgen.events.EventSink;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link LiveView#withoutEnd}: everything but the end goes through to the view; the end goes to the
 * caller's consumer. Thread-safety is the wrapped view's.
 */
final class WithoutEnd implements LiveView {
  private final LiveView view;
  private final Consumer<RunResult> instead;

  WithoutEnd(LiveView view, Consumer<RunResult> instead) {
    this.view = view;
    this.instead = instead;
  }

  @Override
  public void started(Map<String, Object> hello) {
    view.started(hello);
  }

  @Override
  public void scalingInfo(Map<String, Object> header) {
    view.scalingInfo(header);
  }

  @Override
  public void interval(IntervalResult interval) {
    view.interval(interval);
  }

  @Override
  public void scaling(Object timelineEntry) {
    view.scaling(timelineEntry);
  }

  @Override
  public void cost(Object cost) {
    view.cost(cost);
  }

  @Override
  public EventSink events() {
    return view.events();
  }

  @Override
  public void ended(RunResult result) {
    instead.accept(result);
  }

  @Override
  public String url() {
    return view.url();
  }

  @Override
  public void close() {
    // the caller owns the view
  }
}
