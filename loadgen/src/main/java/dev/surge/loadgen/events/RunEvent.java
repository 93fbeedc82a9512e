package dev.surge.loadgen.events;

import java.util.Locale;
import java.util.Objects;

/**
 * Something that happened during a run, as the terminal prints it and the live view lists it: a pod
 * created, ready, draining, exited or restarted; an HPA decision; a threshold crossed; an alert
 * pending, firing or resolved; a fault injected; a lab step.
 *
 * <p>{@code new RunEvent(12.5, Kind.POD, "surge-abc-x1y2z", "ready")} prints as {@code pod
 * surge-abc-x1y2z ready}.
 *
 * @param t seconds since the run's origin (the emitter's clock), NaN when it has none
 * @param kind what kind of thing happened
 * @param subject what it happened to (a pod's name, an alert's name), empty when nothing in
 *     particular
 * @param message what happened, in words
 */
public record RunEvent(double t, Kind kind, String subject, String message) {
  /** The kinds of event; {@link #label()} is the word the terminal prints first. */
  public enum Kind {
    POD,
    HPA,
    THRESHOLD,
    ALERT,
    FAULT,
    LAB,
    RUN;

    /** The lower-case word printed at the start of the event's line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RunEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }

  /** The event as one terminal line, without the time: {@code "pod NAME ready"}. */
  public String line() {
    String text = subject.isEmpty() ? message : subject + " " + message;
    return String.format(Locale.ROOT, "%-8s %s", kind.label(), text);
  }
}
