package dev.surge.app.fault;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The faults injected at run time: an error rate and added latency on {@code /api/*}, and readiness
 * forced off. Probes and {@code /metrics} read the real state; only {@code /api/*} responses are
 * made worse.
 *
 * <pre>{@code
 * Faults faults = new Faults(new FaultSettings(0.1, 0, true));
 * if (faults.shouldFail()) { ... answer 500 ... }
 * }</pre>
 */
public final class Faults {
  private final DoubleSupplier random;
  private volatile FaultSettings settings;

  /** Faults drawing from {@link ThreadLocalRandom}. */
  public Faults(FaultSettings initial) {
    this(initial, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Faults drawing from {@code random} (values in [0, 1)), so tests can make sampling
   * deterministic.
   */
  public Faults(FaultSettings initial, DoubleSupplier random) {
    this.settings = initial;
    this.random = random;
  }

  public FaultSettings settings() {
    return settings;
  }

  public void set(FaultSettings next) {
    settings = next;
  }

  /**
   * Whether this request should get an injected 500: true for a share {@code errorRate} of calls.
   */
  public boolean shouldFail() {
    double rate = settings.errorRate();
    // Short-cuts keep 0 and 1 exact whatever the random source returns, and skip the draw when off.
    if (rate <= 0.0) {
      return false;
    }
    if (rate >= 1.0) {
      return true;
    }
    return random.getAsDouble() < rate;
  }
}
