package dev.surge.common.profile;

import dev.surge.common.Durations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request rate over time (requests/s as a function of seconds since the start), built from
 * stages: the open-model load shape that {@link Schedule} turns into intended send times.
 * Immutable; every query is a pure function.
 *
 * <p>Grammar of {@link #parse} (stages separated by commas, run one after the other; RATE is
 * requests/s, a decimal number >= 0; DUR is a duration such as {@code 500ms}, {@code 30s}, {@code
 * 2m}, {@code 1h}, {@code 1m30s}):
 *
 * <pre>
 * hold:RATE/DUR                 constant RATE for DUR          (alias constant:RATE/DUR)
 * ramp:FROM-&gt;TO/DUR             linear from FROM to TO (either direction)
 * ramp-up:TO/DUR                linear from 0 to TO            (also ramp-up:FROM-&gt;TO/DUR, FROM &lt;= TO)
 * ramp-down:FROM/DUR            linear from FROM to 0          (also ramp-down:FROM-&gt;TO/DUR, FROM &gt;= TO)
 * step:FROM-&gt;TO[xN]/DUR         N equal levels from FROM to TO (both included), each DUR/N long; N defaults to 2
 * spike:BASE-&gt;PEAK/DUR[@WIDTH]  BASE, with PEAK for WIDTH in the middle of DUR; WIDTH defaults to DUR/10
 * sine:LOW-&gt;HIGH/DUR[@PERIOD]   oscillates LOW..HIGH, starting and ending each PERIOD at LOW; PERIOD defaults to DUR
 * pause:DUR                     no requests for DUR
 * </pre>
 *
 * <pre>{@code
 * RateProfile p = RateProfile.parse("ramp:0->400/2m,hold:400/5m,ramp-down:400/2m");
 * p.rateAt(60);            // 200.0
 * p.expectedRequests(120); // 24000.0 (the integral of the rate)
 * p.durationSeconds();     // 540.0
 * }</pre>
 */
public final class RateProfile {
  private static final String KINDS =
      "hold, constant, ramp, ramp-up, ramp-down, step, spike, sine, pause";
  private static final String RATE = "(\\d+(?:\\.\\d+)?)";
  private static final Pattern STAGE = Pattern.compile("([a-z-]+):(.*)");
  private static final Pattern ONE_RATE = Pattern.compile(RATE + "/([0-9a-z.]+)");
  private static final Pattern TWO_RATES =
      Pattern.compile(RATE + "->" + RATE + "(?:x(\\d+))?/([0-9a-z.]+)(?:@([0-9a-z.]+))?");

  private final List<Stage> stages;
  private final Segment[] segments;
  private final double[] startTime;
  private final double[] startCount;
  private final double duration;
  private final double total;
  private final double cap;

  private RateProfile(List<Stage> stages, List<Segment> segments, double cap) {
    this.stages = List.copyOf(stages);
    List<Segment> nonEmpty = segments.stream().filter(s -> s.duration() > 0).toList();
    this.segments = nonEmpty.toArray(new Segment[0]);
    this.startTime = new double[this.segments.length + 1];
    this.startCount = new double[this.segments.length + 1];
    for (int i = 0; i < this.segments.length; i++) {
      Segment s = this.segments[i];
      startTime[i + 1] = startTime[i] + s.duration();
      startCount[i + 1] = startCount[i] + s.integral(s.duration());
    }
    this.duration = startTime[this.segments.length];
    this.total = startCount[this.segments.length];
    this.cap = cap;
  }

  /** A constant rate for a duration (the {@code --rate} case). */
  public static RateProfile constant(double rate, double durationSeconds) {
    requireRate(rate, "rate");
    requireDuration(durationSeconds, "duration");
    return new RateProfile(
        List.of(new Stage.Hold(rate, durationSeconds)),
        List.of(new Segment.Linear(rate, rate, durationSeconds)),
        Double.POSITIVE_INFINITY);
  }

  /** Builds a profile from parsed stages, e.g. those read from a scenario file. */
  public static RateProfile of(List<Stage> stages) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a profile needs at least one stage");
    }
    List<Segment> segs = new ArrayList<>();
    for (Stage s : stages) {
      segs.addAll(s.segments());
    }
    return new RateProfile(stages, segs, Double.POSITIVE_INFINITY);
  }

  /**
   * Parses a profile spec (grammar in the class comment).
   *
   * @throws IllegalArgumentException with a message naming the bad stage and what was wrong
   */
  public static RateProfile parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "empty profile (e.g. ramp:0->400/2m,hold:400/5m,ramp-down:400/2m)");
    }
    List<Stage> stages = new ArrayList<>();
    for (String raw : spec.split(",")) {
      stages.add(parseStage(raw.trim()));
    }
    return of(stages);
  }

  /** Parses one stage such as {@code ramp:0->400/2m}. */
  public static Stage parseStage(String text) {
    String t = text.toLowerCase(Locale.ROOT).replace(" ", "");
    Matcher m = STAGE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "stage '" + text + "' is not KIND:ARGS (kinds: " + KINDS + ")");
    }
    String kind = m.group(1);
    String args = m.group(2);
    try {
      return switch (kind) {
        case "hold", "constant" -> {
          Matcher a = need(ONE_RATE, args, text, "hold:RATE/DUR");
          double r = Double.parseDouble(a.group(1));
          yield new Stage.Hold(r, dur(a.group(2)));
        }
        case "pause" -> new Stage.Pause(dur(args));
        case "ramp" -> {
          Matcher a = need(TWO_RATES, args, text, "ramp:FROM->TO/DUR");
          noExtras(a, text, "ramp:FROM->TO/DUR");
          yield new Stage.Ramp(rate(a.group(1)), rate(a.group(2)), dur(a.group(4)));
        }
        case "ramp-up", "ramp-down" -> {
          boolean up = kind.equals("ramp-up");
          String form = kind + ":" + (up ? "TO" : "FROM") + "/DUR or " + kind + ":FROM->TO/DUR";
          Matcher one = ONE_RATE.matcher(args);
          double from;
          double to;
          double d;
          if (one.matches()) {
            double r = rate(one.group(1));
            from = up ? 0 : r;
            to = up ? r : 0;
            d = dur(one.group(2));
          } else {
            Matcher a = need(TWO_RATES, args, text, form);
            noExtras(a, text, form);
            from = rate(a.group(1));
            to = rate(a.group(2));
            d = dur(a.group(4));
            if (up ? from > to : from < to) {
              throw new IllegalArgumentException(
                  "stage '"
                      + text
                      + "': "
                      + kind
                      + " must go "
                      + (up ? "up" : "down")
                      + " (use ramp:FROM->TO/DUR)");
            }
          }
          yield new Stage.Ramp(from, to, d);
        }
        case "step" -> {
          Matcher a = need(TWO_RATES, args, text, "step:FROM->TO[xN]/DUR");
          if (a.group(5) != null) {
            throw new IllegalArgumentException(
                "stage '" + text + "': step takes no @ (use step:FROM->TO[xN]/DUR)");
          }
          int n = a.group(3) == null ? 2 : Integer.parseInt(a.group(3));
          if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException(
                "stage '" + text + "': step count must be 1..10000, got " + n);
          }
          yield new Stage.Step(rate(a.group(1)), rate(a.group(2)), n, dur(a.group(4)));
        }
        case "spike" -> {
          Matcher a = need(TWO_RATES, args, text, "spike:BASE->PEAK/DUR[@WIDTH]");
          double d = dur(a.group(4));
          double w = a.group(5) == null ? d / 10.0 : dur(a.group(5));
          if (w > d) {
            throw new IllegalArgumentException(
                "stage '" + text + "': spike width " + a.group(5) + " is longer than the stage");
          }
          if (a.group(3) != null) {
            throw new IllegalArgumentException(
                "stage '" + text + "': spike takes no xN (use spike:BASE->PEAK/DUR[@WIDTH])");
          }
          yield new Stage.Spike(rate(a.group(1)), rate(a.group(2)), d, w);
        }
        case "sine" -> {
          Matcher a = need(TWO_RATES, args, text, "sine:LOW->HIGH/DUR[@PERIOD]");
          double d = dur(a.group(4));
          double p = a.group(5) == null ? d : dur(a.group(5));
          double low = rate(a.group(1));
          double high = rate(a.group(2));
          if (a.group(3) != null) {
            throw new IllegalArgumentException(
                "stage '" + text + "': sine takes no xN (use sine:LOW->HIGH/DUR[@PERIOD])");
          }
          if (low > high) {
            throw new IllegalArgumentException(
                "stage '" + text + "': sine LOW must not exceed HIGH");
          }
          yield new Stage.Sine(low, high, d, p);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown stage '" + kind + "' in '" + text + "' (kinds: " + KINDS + ")");
      };
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains(text)) {
        throw e;
      }
      throw new IllegalArgumentException("stage '" + text + "': " + e.getMessage(), e);
    }
  }

  private static Matcher need(Pattern p, String args, String text, String form) {
    Matcher a = p.matcher(args);
    if (!a.matches()) {
      throw new IllegalArgumentException(
          "stage '"
              + text
              + "' does not match "
              + form
              + " (RATE is requests/s >= 0, DUR like 30s or 2m)");
    }
    return a;
  }

  private static void noExtras(Matcher a, String text, String form) {
    if (a.group(3) != null || a.group(5) != null) {
      throw new IllegalArgumentException("stage '" + text + "' does not match " + form);
    }
  }

  private static double rate(String s) {
    double r = Double.parseDouble(s);
    requireRate(r, "rate");
    return r;
  }

  private static double dur(String s) {
    double d = Durations.parseSeconds(s);
    requireDuration(d, "duration");
    return d;
  }

  private static void requireRate(double r, String what) {
    if (!(r >= 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException(
          what + " must be a number >= 0 requests/s, got " + Stage.num(r));
    }
  }

  private static void requireDuration(double d, String what) {
    if (!(d > 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(
          what + " must be > 0, got " + Durations.format(Math.max(0, d)));
    }
  }

  /** The stages as parsed, in order. */
  public List<Stage> stages() {
    return stages;
  }

  /** Total length of the profile in seconds. */
  public double durationSeconds() {
    return duration;
  }

  /** Rate in requests/s at {@code t} seconds from the start; 0 outside [0, duration). */
  public double rateAt(double tSeconds) {
    if (!(tSeconds >= 0) || tSeconds >= duration) {
      return 0;
    }
    int i = segmentAtTime(tSeconds);
    return segments[i].rateAt(tSeconds - startTime[i]);
  }

  /**
   * Requests expected from the start to {@code t} seconds (the integral of the rate); clamped to
   * [0, duration].
   */
  public double expectedRequests(double tSeconds) {
    if (!(tSeconds > 0)) {
      return 0;
    }
    if (tSeconds >= duration) {
      return total;
    }
    int i = segmentAtTime(tSeconds);
    return startCount[i] + segments[i].integral(tSeconds - startTime[i]);
  }

  /** Requests expected over the whole profile. */
  public double totalRequests() {
    return total;
  }

  /**
   * The time (seconds from the start) at which {@link #expectedRequests} reaches {@code count}; the
   * inverse of the integrated rate. Returns {@link Double#NaN} when {@code count} is beyond {@link
   * #totalRequests()}.
   */
  public double timeOfRequests(double count) {
    if (count <= 0) {
      // Skip a leading pause: the first request is due when the rate first becomes positive.
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].integral(segments[i].duration()) > 0) {
          return startTime[i] + segments[i].inverse(0);
        }
      }
      return count == 0 && total > 0 ? 0 : Double.NaN;
    }
    if (count > total) {
      return Double.NaN;
    }
    // Smallest j with startCount[j] >= count: segment j-1 is where the count is reached (pauses
    // have equal counts at both ends and are passed over).
    int lo = 1;
    int hi = segments.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (startCount[mid] >= count) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    int seg = lo - 1;
    double u = segments[seg].inverse(count - startCount[seg]);
    return Math.min(duration, startTime[seg] + u);
  }

  /** Largest rate the profile reaches. */
  public double peakRate() {
    double p = 0;
    for (Segment s : segments) {
      p = Math.max(p, s.peak());
    }
    return p;
  }

  /** Mean rate over the whole profile. */
  public double meanRate() {
    return duration == 0 ? 0 : total / duration;
  }

  /**
   * This profile clipped to at most {@code maxRate} requests/s everywhere (the {@code --max-rate}
   * safety cap).
   */
  public RateProfile cappedAt(double maxRate) {
    requireRate(maxRate, "max rate");
    List<Segment> out = new ArrayList<>();
    for (Segment s : segments) {
      out.addAll(s.capped(maxRate));
    }
    return new RateProfile(stages, out, Math.min(cap, maxRate));
  }

  /** This profile with every rate multiplied by {@code factor} (a shard's share, a what-if). */
  public RateProfile scaled(double factor) {
    requireRate(factor, "scale factor");
    List<Segment> out = new ArrayList<>();
    for (Segment s : segments) {
      out.add(s.scaled(factor));
    }
    List<Stage> st = new ArrayList<>();
    for (Stage s : stages) {
      st.add(s.scaled(factor));
    }
    return new RateProfile(st, out, cap == Double.POSITIVE_INFINITY ? cap : cap * factor);
  }

  /**
   * The first {@code seconds} of this profile (the {@code --duration} cut); the whole profile when
   * it is shorter. {@link #stages()} stays as parsed; {@link #durationSeconds()} tells the cut.
   */
  public RateProfile truncated(double seconds) {
    requireDuration(seconds, "duration");
    if (seconds >= duration) {
      return this;
    }
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < segments.length && startTime[i] < seconds; i++) {
      double left = seconds - startTime[i];
      out.add(left >= segments[i].duration() ? segments[i] : segments[i].truncated(left));
    }
    return new RateProfile(stages, out, cap);
  }

  /** The cap applied by {@link #cappedAt}, or infinity when none. */
  public double cap() {
    return cap;
  }

  private int segmentAtTime(double t) {
    int i = Arrays.binarySearch(startTime, 0, segments.length, t);
    return i >= 0 ? i : -i - 2;
  }

  /** The canonical spec ({@link #parse} reads it back), plus the cap when one applies. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Stage s : stages) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(s.spec());
    }
    double stagesLength = stages.stream().mapToDouble(Stage::durationSeconds).sum();
    if (duration < stagesLength - 1e-9) {
      b.append(" (cut at ").append(Durations.format(duration)).append(")");
    }
    if (cap != Double.POSITIVE_INFINITY) {
      b.append(" (capped at ").append(Stage.num(cap)).append(" req/s)");
    }
    return b.toString();
  }
}
