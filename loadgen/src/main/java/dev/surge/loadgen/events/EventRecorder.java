package dev.surge.loadgen.events;

import dev.surge.loadgen.output.RunResult.EventEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The sink that keeps a run's events for its result file ({@code events: [{t, kind, subject,
 * message}]}) and hands each one on to another sink (the live view), on one time axis: every event
 * is stamped when it arrives with the seconds since {@link #origin(long) sending started}, whatever
 * clock its emitter used (the lab's pods count from the lab's start, its controller from the
 * load's). Events that arrive before the origin is set get a negative {@code t} in the file once it
 * is set, and are handed on with {@code t = NaN} ("before the load started").
 *
 * <pre>{@code
 * EventRecorder recorder = new EventRecorder(liveView.events());
 * EventSink events = EventSink.all(EventSink.console(out), recorder);
 * recorder.origin(System.nanoTime()); // when sending starts (LoadRun does this)
 * List<EventEntry> forTheFile = recorder.entries();
 * }</pre>
 *
 * <p>Thread-safe: {@link #publish} may be called from any thread; it never blocks for long (the
 * next sink must not either). At most {@value #MAX_EVENTS} events are kept; later ones are counted
 * in {@link #dropped()} and still handed on.
 */
public final class EventRecorder implements EventSink {
  /** Most events kept for the file (a long run with a flapping pod must not grow without bound). */
  public static final int MAX_EVENTS = 10_000;

  private final EventSink next;
  private final LongSupplier nanoClock;
  private final List<Stamped> events = new ArrayList<>();
  private long originNanos;
  private boolean originSet;
  private long dropped;

  /** Records and hands every event on to {@code next} ({@link EventSink#none()} for none). */
  public EventRecorder(EventSink next) {
    this(next, System::nanoTime);
  }

  EventRecorder(EventSink next, LongSupplier nanoClock) {
    this.next = next;
    this.nanoClock = nanoClock;
  }

  /** A recorder that keeps events and hands them to nobody. */
  public static EventRecorder keeping() {
    return new EventRecorder(EventSink.none());
  }

  /**
   * Sets the time zero ({@link System#nanoTime()} when sending started). Once; later calls are
   * ignored.
   */
  public synchronized void origin(long nanos) {
    if (!originSet) {
      originNanos = nanos;
      originSet = true;
    }
  }

  @Override
  public void publish(RunEvent event) {
    long now = nanoClock.getAsLong();
    RunEvent stamped;
    synchronized (this) {
      if (events.size() < MAX_EVENTS) {
        events.add(new Stamped(now, event));
      } else {
        dropped++;
      }
      stamped =
          new RunEvent(
              originSet ? (now - originNanos) / 1e9 : Double.NaN,
              event.kind(),
              event.subject(),
              event.message());
    }
    next.publish(stamped);
  }

  /** The events kept so far, {@code t} in seconds since the origin (0 when none was set). */
  public synchronized List<EventEntry> entries() {
    List<EventEntry> out = new ArrayList<>(events.size());
    long origin = originSet ? originNanos : (events.isEmpty() ? 0 : events.get(0).nanos());
    for (Stamped s : events) {
      RunEvent e = s.event();
      double t = Math.round((s.nanos() - origin) / 1e6) / 1e3;
      out.add(new EventEntry(t, e.kind().label(), e.subject(), e.message()));
    }
    return out;
  }

  private record Stamped(long nanos, RunEvent event) {}

  /** Events not kept because {@value #MAX_EVENTS} were already. */
  public synchronized long dropped() {
    return dropped;
  }
}
