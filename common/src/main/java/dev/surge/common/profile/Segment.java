package dev.surge.common.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One smooth piece of a rate profile with a closed-form integral: the maths behind {@link
 * RateProfile}. Every stage a user writes is compiled into segments; capping by a maximum rate
 * splits segments where they cross the cap.
 */
sealed interface Segment permits Segment.Linear, Segment.Sine {

  /** Length of the segment in seconds. */
  double duration();

  /** Rate in requests/s at {@code u} seconds into the segment. */
  double rateAt(double u);

  /**
   * Requests expected from the start of the segment to {@code u} seconds into it (the integral of
   * the rate).
   */
  double integral(double u);

  /** The segments that this one becomes when its rate is clipped to at most {@code cap}. */
  List<Segment> capped(double cap);

  /** Largest rate reached inside the segment. */
  double peak();

  /** The same shape with every rate multiplied by {@code factor}. */
  Segment scaled(double factor);

  /** The first {@code u} seconds of this segment. */
  Segment truncated(double u);

  /**
   * The {@code u} in [0, duration] where {@link #integral} equals {@code x}, for 0 <= x <=
   * integral(duration). The integral is non-decreasing because rates are never negative.
   */
  double inverse(double x);

  /**
   * Linear rate from {@code from} to {@code to} over {@code duration}; a hold when both are equal.
   */
  record Linear(double from, double to, double duration) implements Segment {
    @Override
    public double rateAt(double u) {
      return from + (to - from) * (u / duration);
    }

    @Override
    public double integral(double u) {
      return from * u + 0.5 * (to - from) / duration * u * u;
    }

    @Override
    public double peak() {
      return Math.max(from, to);
    }

    @Override
    public Segment scaled(double factor) {
      return new Linear(from * factor, to * factor, duration);
    }

    @Override
    public Segment truncated(double u) {
      return new Linear(from, rateAt(u), u);
    }

    @Override
    public double inverse(double x) {
      if (x <= 0) {
        return 0;
      }
      double k = (to - from) / duration;
      // Root of k/2 u^2 + from u - x = 0 in the form that stays accurate when k is tiny or from is
      // zero.
      double disc = Math.max(0.0, from * from + 2.0 * k * x);
      double denom = from + Math.sqrt(disc);
      double u = denom > 0 ? 2.0 * x / denom : duration;
      return Math.min(Math.max(u, 0.0), duration);
    }

    @Override
    public List<Segment> capped(double cap) {
      if (peak() <= cap) {
        return List.of(this);
      }
      if (Math.min(from, to) >= cap) {
        return List.of(new Linear(cap, cap, duration));
      }
      double cross = (cap - from) / (to - from) * duration;
      if (from < to) {
        return List.of(new Linear(from, cap, cross), new Linear(cap, cap, duration - cross));
      }
      return List.of(new Linear(cap, cap, cross), new Linear(cap, to, duration - cross));
    }
  }

  /**
   * Rate oscillating between {@code low} and {@code high} with {@code period}, starting {@code
   * phase} seconds into a cycle that begins at {@code low}: {@code low + (high-low) * (1 - cos(2 pi
   * (u + phase) / period)) / 2}.
   */
  record Sine(double low, double high, double period, double phase, double duration)
      implements Segment {
    private double omega() {
      return 2.0 * Math.PI / period;
    }

    @Override
    public double rateAt(double u) {
      return low + (high - low) * (1.0 - Math.cos(omega() * (u + phase))) / 2.0;
    }

    @Override
    public double integral(double u) {
      double w = omega();
      double a = high - low;
      return low * u + a / 2.0 * (u - (Math.sin(w * (u + phase)) - Math.sin(w * phase)) / w);
    }

    @Override
    public double peak() {
      // The high point sits mid-cycle: reached only if some (k + 1/2) period falls inside this
      // piece.
      double firstTop = Math.ceil((phase - period / 2.0) / period) * period + period / 2.0;
      if (firstTop <= phase + duration) {
        return high;
      }
      return Math.max(rateAt(0), rateAt(duration));
    }

    @Override
    public Segment scaled(double factor) {
      return new Sine(low * factor, high * factor, period, phase, duration);
    }

    @Override
    public Segment truncated(double u) {
      return new Sine(low, high, period, phase, u);
    }

    @Override
    public double inverse(double x) {
      if (x <= 0) {
        return 0;
      }
      // Newton steps kept inside a shrinking bracket; bisection when a step would leave it (flat
      // spots at low=0).
      double lo = 0;
      double hi = duration;
      double u = Math.min(duration, x / Math.max(1e-12, (low + high) / 2.0));
      for (int i = 0; i < 100; i++) {
        double f = integral(u) - x;
        if (Math.abs(f) < 1e-9) {
          return u;
        }
        if (f > 0) {
          hi = u;
        } else {
          lo = u;
        }
        double r = rateAt(u);
        double next = r > 0 ? u - f / r : Double.NaN;
        u = (next > lo && next < hi) ? next : (lo + hi) / 2.0;
        if (hi - lo < 1e-12) {
          break;
        }
      }
      return u;
    }

    @Override
    public List<Segment> capped(double cap) {
      if (high <= cap) {
        return List.of(this);
      }
      if (low >= cap) {
        return List.of(new Linear(cap, cap, duration));
      }
      // Within one cycle the rate is above the cap for w(u+phase) in (theta, 2pi - theta): cut at
      // every crossing and at every cycle start, then classify each piece by its midpoint.
      double theta = Math.acos(1.0 - 2.0 * (cap - low) / (high - low));
      double above0 = theta / omega();
      double above1 = period - above0;
      TreeSet<Double> cuts = new TreeSet<>();
      cuts.add(0.0);
      cuts.add(duration);
      long firstCycle = (long) Math.floor(phase / period);
      for (long k = -firstCycle - 1; k * period - phase <= duration + period; k++) {
        for (double c :
            new double[] {
              k * period - phase, k * period + above0 - phase, k * period + above1 - phase
            }) {
          if (c > 1e-9 && c < duration - 1e-9) {
            cuts.add(c);
          }
        }
      }
      ArrayList<Segment> out = new ArrayList<>();
      Double prev = null;
      for (double c : cuts) {
        if (prev != null) {
          double mid = (prev + c) / 2.0;
          double midPos = ((mid + phase) % period + period) % period;
          double startPos = ((prev + phase) % period + period) % period;
          if (midPos > above0 && midPos < above1) {
            out.add(new Linear(cap, cap, c - prev));
          } else {
            out.add(new Sine(low, high, period, startPos, c - prev));
          }
        }
        prev = c;
      }
      return List.copyOf(out);
    }
  }
}
