package dev.surge.app;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The app's life: {@code STARTING → READY → DRAINING → STOPPED}. {@code /readyz}, the {@code
 * surge_ready} gauge, the shutdown sequence and the {@code Connection: close} on draining responses
 * all read this one state.
 *
 * <p>Thread-safe and lock-free: any thread may read the state (request threads on every response);
 * {@link #advanceTo} only ever moves forward, by compare-and-set, so of two racing calls to the
 * same state exactly one returns true (the shutdown sequence relies on that to drain once).
 */
public final class Lifecycle {
  /** The states, in the only order they are entered. */
  public enum State {
    STARTING,
    READY,
    DRAINING,
    STOPPED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

  public State state() {
    return state.get();
  }

  /** Moves to {@code next} if that is forward; returns whether this call moved it. */
  public boolean advanceTo(State next) {
    while (true) {
      State current = state.get();
      if (current.compareTo(next) >= 0) {
        return false;
      }
      if (state.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  public boolean isReady() {
    return state.get() == State.READY;
  }

  /**
   * Draining or stopped: responses should close their connection so keep-alive clients move
   * elsewhere.
   */
  public boolean isShuttingDown() {
    return state.get().compareTo(State.DRAINING) >= 0;
  }
}
