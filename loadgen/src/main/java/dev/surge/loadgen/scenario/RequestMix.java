package dev.surge.loadgen.scenario;

import dev.surge.loadgen.client.RequestTemplate;
import java.util.List;

/**
 * A weighted mix of request kinds. Request n of the schedule gets a kind chosen by a hash of n, so
 * the mix is reproducible, needs no shared random state between threads, and holds for every
 * stretch of the run.
 *
 * <pre>{@code
 * RequestMix mix = RequestMix.of(List.of(new Weighted(work, 3), new Weighted(status, 1))); // 75% / 25%
 * RequestTemplate t = mix.pick(n);
 * }</pre>
 */
public final class RequestMix {
  /** A request kind and its relative weight. */
  public record Weighted(RequestTemplate template, double weight) {}

  private final RequestTemplate[] templates;
  private final double[] cumulative;
  private final List<Weighted> entries;

  private RequestMix(List<Weighted> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a request mix needs at least one request");
    }
    this.entries = List.copyOf(entries);
    templates = new RequestTemplate[entries.size()];
    cumulative = new double[entries.size()];
    double sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      Weighted w = entries.get(i);
      if (!(w.weight() > 0) || Double.isInfinite(w.weight())) {
        throw new IllegalArgumentException(
            "weight of request "
                + (i + 1)
                + " ("
                + w.template().describe()
                + ") must be > 0, got "
                + w.weight());
      }
      sum += w.weight();
      templates[i] = w.template();
      cumulative[i] = sum;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= sum;
    }
  }

  public static RequestMix of(List<Weighted> entries) {
    return new RequestMix(entries);
  }

  /** A mix of one request. */
  public static RequestMix single(RequestTemplate t) {
    return new RequestMix(List.of(new Weighted(t, 1)));
  }

  /** The request kind for request {@code n} of the schedule. */
  public RequestTemplate pick(long n) {
    if (templates.length == 1) {
      return templates[0];
    }
    double u = (mix64(n) >>> 11) * 0x1.0p-53;
    for (int i = 0; i < cumulative.length - 1; i++) {
      if (u < cumulative[i]) {
        return templates[i];
      }
    }
    return templates[templates.length - 1];
  }

  /** The entries as given. */
  public List<Weighted> entries() {
    return entries;
  }

  /** SplitMix64's finaliser: a well-spread hash of consecutive integers. */
  private static long mix64(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
