package dev.surge.loadgen.events;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where a run's {@link RunEvent}s go: the terminal, the live view, or both.
 *
 * <p>Concurrency: {@link #publish} may be called from any thread (pod watchers, the controller's
 * executor, the run's ticker); an implementation must be thread-safe and must not block the caller
 * for long (the live view drops a slow browser rather than hold a publisher).
 */
@FunctionalInterface
public interface EventSink {
  /** Takes one event. */
  void publish(RunEvent event);

  /** A sink that drops every event (a switched-off part is a do-nothing object). */
  static EventSink none() {
    return event -> {};
  }

  /** Prints each event as its {@link RunEvent#line()}, one line at a time, flushed. */
  static EventSink console(PrintWriter out) {
    return event -> {
      synchronized (out) {
        out.println(event.line());
        out.flush();
      }
    };
  }

  /** Sends each event to every one of {@code sinks}, in order. */
  static EventSink all(EventSink... sinks) {
    List<EventSink> list = List.of(sinks);
    return event -> {
      for (EventSink s : list) {
        s.publish(event);
      }
    };
  }
}
