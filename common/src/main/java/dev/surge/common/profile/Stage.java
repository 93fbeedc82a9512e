package dev.surge.common.profile;

import dev.surge.common.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stage of a rate profile as the user wrote it (after parsing): one record per kind, each
 * knowing its canonical text ({@link #spec()}, which {@link RateProfile#parse} reads back to the
 * same stage), the closed-form segments it compiles to, and itself scaled. Adding a kind means
 * adding a record here (the compiler then lists what it must implement) and a case to the parser;
 * nothing switches on a kind name.
 *
 * <pre>{@code
 * Stage s = RateProfile.parseStage("ramp:0->400/2m"); // new Stage.Ramp(0, 400, 120)
 * s.spec();                                           // "ramp:0->400/2m"
 * }</pre>
 */
public sealed interface Stage
    permits Stage.Hold, Stage.Pause, Stage.Ramp, Stage.Step, Stage.Spike, Stage.Sine {

  /** Length of the stage in seconds. */
  double durationSeconds();

  /** The canonical spec text of this stage, e.g. {@code ramp:0->400/2m}. */
  String spec();

  /** The same stage with every rate multiplied by {@code factor}. */
  Stage scaled(double factor);

  /** The closed-form pieces this stage is made of, in order. */
  List<Segment> segments();

  /** {@code hold:RATE/DUR}: a constant rate. */
  record Hold(double rate, double durationSeconds) implements Stage {
    @Override
    public String spec() {
      return "hold:" + num(rate) + "/" + Durations.format(durationSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return new Hold(rate * factor, durationSeconds);
    }

    @Override
    public List<Segment> segments() {
      return List.of(new Segment.Linear(rate, rate, durationSeconds));
    }
  }

  /** {@code pause:DUR}: no requests. */
  record Pause(double durationSeconds) implements Stage {
    @Override
    public String spec() {
      return "pause:" + Durations.format(durationSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return this;
    }

    @Override
    public List<Segment> segments() {
      return List.of(new Segment.Linear(0, 0, durationSeconds));
    }
  }

  /** {@code ramp:FROM->TO/DUR}: linear, either direction ({@code ramp-up}, {@code ramp-down}). */
  record Ramp(double from, double to, double durationSeconds) implements Stage {
    @Override
    public String spec() {
      return "ramp:" + num(from) + "->" + num(to) + "/" + Durations.format(durationSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return new Ramp(from * factor, to * factor, durationSeconds);
    }

    @Override
    public List<Segment> segments() {
      return List.of(new Segment.Linear(from, to, durationSeconds));
    }
  }

  /** {@code step:FROM->TO xN/DUR}: N equal levels from FROM to TO (both included). */
  record Step(double from, double to, int steps, double durationSeconds) implements Stage {
    @Override
    public String spec() {
      return "step:"
          + num(from)
          + "->"
          + num(to)
          + "x"
          + steps
          + "/"
          + Durations.format(durationSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return new Step(from * factor, to * factor, steps, durationSeconds);
    }

    @Override
    public List<Segment> segments() {
      List<Segment> out = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        double level = steps == 1 ? to : from + (to - from) * i / (steps - 1);
        out.add(new Segment.Linear(level, level, durationSeconds / steps));
      }
      return List.copyOf(out);
    }
  }

  /** {@code spike:BASE->PEAK/DUR@WIDTH}: BASE, with PEAK for WIDTH in the middle. */
  record Spike(double base, double peak, double durationSeconds, double widthSeconds)
      implements Stage {
    @Override
    public String spec() {
      return "spike:"
          + num(base)
          + "->"
          + num(peak)
          + "/"
          + Durations.format(durationSeconds)
          + "@"
          + Durations.format(widthSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return new Spike(base * factor, peak * factor, durationSeconds, widthSeconds);
    }

    @Override
    public List<Segment> segments() {
      double before = (durationSeconds - widthSeconds) / 2.0;
      return List.of(
          new Segment.Linear(base, base, before),
          new Segment.Linear(peak, peak, widthSeconds),
          new Segment.Linear(base, base, durationSeconds - before - widthSeconds));
    }
  }

  /** {@code sine:LOW->HIGH/DUR@PERIOD}: oscillates, starting and ending each period at LOW. */
  record Sine(double low, double high, double durationSeconds, double periodSeconds)
      implements Stage {
    @Override
    public String spec() {
      return "sine:"
          + num(low)
          + "->"
          + num(high)
          + "/"
          + Durations.format(durationSeconds)
          + "@"
          + Durations.format(periodSeconds);
    }

    @Override
    public Stage scaled(double factor) {
      return new Sine(low * factor, high * factor, durationSeconds, periodSeconds);
    }

    @Override
    public List<Segment> segments() {
      return List.of(new Segment.Sine(low, high, periodSeconds, 0, durationSeconds));
    }
  }

  /** A rate as the spec writes it: {@code 400}, {@code 2.5}. */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
