package dev.surge.loadgen.run;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.client.Transport;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run needs, validated once when it is built (by the {@code run} command or the lab
 * command from flags, then {@code SURGE_LOADGEN_*} environment variables). Immutable.
 *
 * <pre>{@code
 * RunConfig cfg = RunConfig.builder()
 *     .mix(RequestMix.single(RequestTemplate.get("http://127.0.0.1:8080/api/work")))
 *     .profile(RateProfile.constant(100, 30))
 *     .connections(8)
 *     .build();
 * }</pre>
 *
 * <p>Each setter refuses a value that is wrong on its own at once ({@link IllegalArgumentException}
 * naming the setting and the value); {@link Builder#build()} checks what is required and what
 * depends on several settings. A part that is switched off is an empty {@link Optional} (push,
 * result file, HDR log) or a named value ({@code metricsPort -1}, {@link ProgressMode#OFF}), never
 * {@code null}.
 */
public final class RunConfig {
  /** {@link #metricsPort()} when no metrics are served. */
  public static final int METRICS_OFF = -1;

  /** How progress is shown. */
  public enum ProgressMode {
    /** In place on a terminal, one line per interval otherwise. */
    AUTO,
    /** One line per interval. */
    LINES,
    /** Rewrite one line in place. */
    TTY,
    /** No progress lines (the summary is still printed). */
    OFF;

    /**
     * Parses {@code auto}, {@code lines}, {@code tty} or {@code off} (any case).
     *
     * @throws IllegalArgumentException naming the value
     */
    public static ProgressMode parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'" + s + "' is not a progress mode (auto, lines, tty, off)", e);
      }
    }
  }

  private final RequestMix mix;
  private final RateProfile profile;
  private final ShardSpec shard;
  private final int connections;
  private final boolean http2;
  private final int maxInFlight;
  private final long maxConnectionAgeMillis;
  private final long idleTimeoutMillis;
  private final long connectTimeoutMillis;
  private final long requestTimeoutMillis;
  private final CatchUp catchUp;
  private final int metricsPort;
  private final Optional<URI> pushgateway;
  private final Optional<Path> out;
  private final Optional<Path> hdrLog;
  private final Thresholds thresholds;
  private final AbortRule abort;
  private final ProgressMode progress;
  private final double drainSeconds;
  private final Map<String, Object> described;
  private final Transport transport;
  private final boolean closed;

  private RunConfig(Builder b, Transport transport) {
    this.mix = b.mix;
    this.profile = b.profile;
    this.shard = b.shard;
    this.connections = b.connections;
    this.http2 = b.http2;
    this.maxInFlight = b.maxInFlight;
    this.maxConnectionAgeMillis = b.maxConnectionAgeMillis;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.connectTimeoutMillis = b.connectTimeoutMillis;
    this.requestTimeoutMillis = b.requestTimeoutMillis;
    this.catchUp = b.catchUp;
    this.metricsPort = b.metricsPort;
    this.pushgateway = Optional.ofNullable(b.pushgateway);
    this.out = Optional.ofNullable(b.out);
    this.hdrLog = Optional.ofNullable(b.hdrLog);
    this.thresholds = b.thresholds;
    this.abort = b.abort;
    this.progress = b.progress;
    this.drainSeconds = b.drainSeconds;
    this.described = Map.copyOf(b.described);
    this.transport = transport;
    this.closed = b.closed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The requests to send. */
  public RequestMix mix() {
    return mix;
  }

  /** The whole load shape (all shards), already capped by --max-rate and cut to --duration. */
  public RateProfile profile() {
    return profile;
  }

  /** This process's share of the schedule. */
  public ShardSpec shard() {
    return shard;
  }

  /** Maximum connections per target. */
  public int connections() {
    return connections;
  }

  /** HTTP/2 clear-text (prior knowledge) instead of HTTP/1.1. */
  public boolean http2() {
    return http2;
  }

  /** Over this many requests in flight, due requests are dropped (counted). */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Connections older than this are retired; 0 never. */
  public long maxConnectionAgeMillis() {
    return maxConnectionAgeMillis;
  }

  /** The client's idle timeout. */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** TCP connect timeout. */
  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** Total timeout of one request. */
  public long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  /** What to do with overdue requests. */
  public CatchUp catchUp() {
    return catchUp;
  }

  /** The port metrics are served on: 0 any free port, {@link #METRICS_OFF} none. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The Pushgateway the final figures are pushed to at the end, if any. */
  public Optional<URI> pushgateway() {
    return pushgateway;
  }

  /** The result JSON file, if one is written. */
  public Optional<Path> out() {
    return out;
  }

  /** The HdrHistogram interval log, if one is written. */
  public Optional<Path> hdrLog() {
    return hdrLog;
  }

  /** Checked at the end. */
  public Thresholds thresholds() {
    return thresholds;
  }

  /** Early-stop conditions. */
  public AbortRule abort() {
    return abort;
  }

  /** How progress is shown. */
  public ProgressMode progress() {
    return progress;
  }

  /** How long to wait for in-flight requests after the last send. */
  public double drainSeconds() {
    return drainSeconds;
  }

  /** The resolved settings as written to the result file's {@code config}. */
  public Map<String, Object> described() {
    return described;
  }

  /** The transport that sends: {@link Transport#LEAN} or {@link Transport#JETTY}, never auto. */
  public Transport transport() {
    return transport;
  }

  /**
   * The closed model: {@link #connections()} users back to back for the profile's duration, no
   * rate.
   */
  public boolean closed() {
    return closed;
  }

  /** Collects the settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private RequestMix mix;
    private RateProfile profile;
    private ShardSpec shard = ShardSpec.WHOLE;
    private int connections = 32;
    private boolean http2;
    private int maxInFlight = 1024;
    private long maxConnectionAgeMillis;
    private long idleTimeoutMillis = 10_000;
    private long connectTimeoutMillis = 5_000;
    private long requestTimeoutMillis = 30_000;
    private CatchUp catchUp = CatchUp.BURST;
    private int metricsPort = METRICS_OFF;
    private URI pushgateway;
    private Path out;
    private Path hdrLog;
    private Thresholds thresholds = new Thresholds(List.of());
    private AbortRule abort = new AbortRule(List.of(), 0);
    private ProgressMode progress = ProgressMode.AUTO;
    private double drainSeconds = 10;
    private Map<String, Object> described = Map.of();
    private Transport transport = Transport.AUTO;
    private boolean closed;

    private Builder() {}

    /**
     * Which transport sends; {@link Transport#AUTO} is resolved by {@link #build()} from the
     * targets and {@code http2}. Default is {@link Transport#AUTO}.
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The closed model instead of the open one. Default is false. */
    public Builder closed(boolean closed) {
      this.closed = closed;
      return this;
    }

    /** The requests to send. Required. */
    public Builder mix(RequestMix mix) {
      this.mix = Objects.requireNonNull(mix, "mix");
      return this;
    }

    /** The whole load shape of all shards. Required. */
    public Builder profile(RateProfile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** This process's share. Default is the whole schedule ({@link ShardSpec#WHOLE}). */
    public Builder shard(ShardSpec shard) {
      this.shard = Objects.requireNonNull(shard, "shard");
      return this;
    }

    /** Maximum connections per target, at least 1. Default is 32. */
    public Builder connections(int connections) {
      this.connections = atLeastOne("connections", connections);
      return this;
    }

    /** HTTP/2 clear-text with prior knowledge; http:// targets only. Default is false. */
    public Builder http2(boolean http2) {
      this.http2 = http2;
      return this;
    }

    /** Requests in flight over which due requests are dropped, at least 1. Default is 1024. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = atLeastOne("maxInFlight", maxInFlight);
      return this;
    }

    /** Retire connections older than this; 0 never. Default is 0. */
    public Builder maxConnectionAgeMillis(long millis) {
      this.maxConnectionAgeMillis = notNegative("maxConnectionAgeMillis", millis);
      return this;
    }

    /** The client's idle timeout; 0 none (Jetty's meaning). Default is 10000 (10s). */
    public Builder idleTimeoutMillis(long millis) {
      this.idleTimeoutMillis = notNegative("idleTimeoutMillis", millis);
      return this;
    }

    /** TCP connect timeout; 0 none (Jetty's meaning). Default is 5000 (5s). */
    public Builder connectTimeoutMillis(long millis) {
      this.connectTimeoutMillis = notNegative("connectTimeoutMillis", millis);
      return this;
    }

    /** Total timeout of one request; 0 none (Jetty's meaning). Default is 30000 (30s). */
    public Builder requestTimeoutMillis(long millis) {
      this.requestTimeoutMillis = notNegative("requestTimeoutMillis", millis);
      return this;
    }

    /** What to do with overdue requests. Default is {@link CatchUp#BURST}. */
    public Builder catchUp(CatchUp catchUp) {
      this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
      return this;
    }

    /**
     * Serve metrics on this port: 1..65535, 0 any free port, {@link #METRICS_OFF} none. Default is
     * {@link #METRICS_OFF}.
     */
    public Builder metricsPort(int port) {
      if (port < METRICS_OFF || port > 65535) {
        throw new IllegalArgumentException(
            "metricsPort must be -1 (off), 0 (any) or 1..65535, got " + port);
      }
      this.metricsPort = port;
      return this;
    }

    /** Push the final figures to this Pushgateway at the end. Default is none. */
    public Builder pushgateway(URI pushgateway) {
      this.pushgateway = Objects.requireNonNull(pushgateway, "pushgateway");
      return this;
    }

    /** Write the result JSON here. Default is none. */
    public Builder out(Path out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Write the HdrHistogram interval log here. Default is none. */
    public Builder hdrLog(Path hdrLog) {
      this.hdrLog = Objects.requireNonNull(hdrLog, "hdrLog");
      return this;
    }

    /** Checked at the end. Default is none. */
    public Builder thresholds(Thresholds thresholds) {
      this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
      return this;
    }

    /** Early-stop conditions. Default is none. */
    public Builder abort(AbortRule abort) {
      this.abort = Objects.requireNonNull(abort, "abort");
      return this;
    }

    /** How progress is shown. Default is {@link ProgressMode#AUTO}. */
    public Builder progress(ProgressMode progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Wait this long for in-flight requests after the last send, {@code >= 0}. Default is 10. */
    public Builder drainSeconds(double seconds) {
      if (!(seconds >= 0) || Double.isInfinite(seconds)) {
        throw new IllegalArgumentException(
            "drainSeconds must be a finite number >= 0, got " + seconds);
      }
      this.drainSeconds = seconds;
      return this;
    }

    /** The resolved settings for the result file's {@code config}. Default is empty. */
    public Builder described(Map<String, Object> described) {
      this.described = Map.copyOf(described);
      return this;
    }

    /**
     * The validated config.
     *
     * @throws IllegalArgumentException when the mix or the profile is missing, {@code http2} is set
     *     with a target that is not {@code http://}, or the lean transport is asked for what it
     *     cannot speak
     */
    public RunConfig build() {
      if (mix == null) {
        throw new IllegalArgumentException("mix is required");
      }
      if (profile == null) {
        throw new IllegalArgumentException("profile is required");
      }
      if (http2) {
        for (RequestMix.Weighted w : mix.entries()) {
          if (!"http".equalsIgnoreCase(w.template().uri().getScheme())) {
            throw new IllegalArgumentException(
                "http2 speaks HTTP/2 clear-text (prior knowledge) to http:// targets only, got "
                    + w.template().uri());
          }
        }
      }
      return new RunConfig(
          this,
          transport.resolve(http2, mix.entries().stream().map(w -> w.template().uri()).toList()));
    }

    private static int atLeastOne(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, got " + v);
      }
      return v;
    }

    private static long notNegative(String name, long v) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + v);
      }
      return v;
    }
  }
}
