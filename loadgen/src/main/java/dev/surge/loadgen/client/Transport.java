package dev.surge.loadgen.client;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;

/**
 * Which HTTP implementation sends a run's requests ({@code --transport}): the lean HTTP/1.1
 * transport for plain {@code http://} targets, or Jetty's {@code HttpClient} for HTTP/2, TLS and
 * anything else; {@link #AUTO} picks the lean one whenever it can.
 */
public enum Transport {
  /**
   * Lean when the targets are known, every one is plain http:// and HTTP/2 is not asked for; Jetty
   * otherwise (an https:// target, HTTP/2, or no target known yet).
   */
  AUTO,
  /** The lean HTTP/1.1 transport ({@link LeanTransport}): plain http:// only. */
  LEAN,
  /** Jetty's HttpClient: HTTP/1.1, HTTP/2 clear-text, TLS. */
  JETTY;

  /** The lower-case name used by the flag and in the result, e.g. {@code lean}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code auto}, {@code lean} or {@code jetty}.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static Transport parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not a transport (auto, lean or jetty)", e);
    }
  }

  /**
   * The transport that will run: {@link #LEAN} or {@link #JETTY}, never {@link #AUTO}. The one
   * place that decides it: the command line, {@code RunConfig} and {@link LoadClient.Builder} all
   * come here, so an {@code https://} target never gets the lean transport (which has no TLS).
   *
   * @throws IllegalArgumentException when {@link #LEAN} is asked for a target it cannot serve
   */
  public Transport resolve(boolean http2, Collection<URI> targets) {
    URI unsupported = null;
    for (URI u : targets) {
      if (!"http".equalsIgnoreCase(u.getScheme())) {
        unsupported = u;
      }
    }
    boolean leanFits = !http2 && unsupported == null && !targets.isEmpty();
    return switch (this) {
      case JETTY -> JETTY;
      case AUTO -> leanFits ? LEAN : JETTY;
      case LEAN -> {
        if (http2) {
          throw new IllegalArgumentException(
              "'lean' speaks HTTP/1.1 only: use --transport jetty (or auto) with --http2");
        }
        if (unsupported != null) {
          throw new IllegalArgumentException(
              "'lean' speaks plain http:// only, got "
                  + unsupported
                  + " (use --transport jetty or auto)");
        }
        yield LEAN;
      }
    };
  }
}
