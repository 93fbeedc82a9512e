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
 *
 * <p>Concurrency contract: the settings are one immutable {@link FaultSettings} behind a volatile
 * reference. Request threads call {@link #settings} and {@link #shouldFail} without locking and
 * always see a whole setting (never an error rate from one {@code PUT} with the latency of
 * another); a request that read the settings keeps them for its whole answer. {@link #set} replaces
 * them atomically; a read-modify-write (a partial {@code PUT /admin/faults}) must hold this
 * object's monitor, as {@code FaultsEndpoint} does, so that concurrent updates do not overwrite
 * each other. The random source must be thread-safe ({@link ThreadLocalRandom} is).
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
