package dev.surge.hpa;

import dev.surge.common.profile.RateProfile;

/**
 * Adapts the loadgen's {@link RateProfile} (the {@code run --profile} syntax) to the model's {@link
 * RateFunction}.
 */
public final class ProfileRates {
  private ProfileRates() {}

  public static RateFunction of(RateProfile profile) {
    return new RateFunction() {
      @Override
      public double rateAt(double t) {
        return t >= profile.durationSeconds() ? 0 : profile.rateAt(t);
      }

      @Override
      public double durationSeconds() {
        return profile.durationSeconds();
      }
    };
  }
}
