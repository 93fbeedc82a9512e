package dev.surge.hpa;

/**
 * A request rate over time, as the simulator and planner consume it; the CLI adapts the loadgen's
 * {@code RateProfile} to it so {@code simulate} accepts exactly the {@code run --profile} syntax.
 */
public interface RateFunction {
  /** Requests per second at {@code t} seconds from the start. */
  double rateAt(double t);

  /** How long the profile lasts in seconds. */
  double durationSeconds();

  /** A constant rate for {@code seconds}. */
  static RateFunction constant(double rate, double seconds) {
    return new RateFunction() {
      @Override
      public double rateAt(double t) {
        return t < seconds ? rate : 0;
      }

      @Override
      public double durationSeconds() {
        return seconds;
      }
    };
  }
}
