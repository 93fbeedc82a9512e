package dev.surge.app;

import dev.surge.common.Durations;
import dev.surge.common.cli.EnvDefaults;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The app's whole configuration, immutable and valid by construction: {@link #builder()} for code,
 * {@link #parse} for the command line (flags, then {@code SURGE_*} environment variables through
 * picocli and {@link EnvDefaults}, then defaults). {@link Builder#build()} checks every value, so
 * nothing later has to re-check one; a bad value is refused with a message naming the flag and the
 * value.
 *
 * <pre>{@code
 * AppConfig config = AppConfig.builder().port(0).metricsPort(0).drainDelay(Duration.ZERO).build();
 * AppConfig fromCli = AppConfig.parse(List.of("--port", "0", "--metrics-port", "0"), System.getenv());
 * try (SurgeApp app = SurgeApp.start(config)) { ... app.port() ... }
 * }</pre>
 */
public final class AppConfig {
  /**
   * Prefix of the environment variables: {@code --max-cpu-millis} → {@code SURGE_MAX_CPU_MILLIS}.
   */
  public static final String ENV_PREFIX = "SURGE_";

  private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final int MAX_LIMIT = 3_600_000;
  private static final int MAX_BODY_LIMIT = 64 * 1024 * 1024;
  private static final String DURATION = "expected a duration such as 500ms, 5s, 2m or 1h";
  private static final String BOOLEAN = "expected true or false";
  private static final String PORT_RANGE = "expected an integer from 0 to 65535";
  private static final String LIMIT_RANGE = "expected an integer from 0 to " + MAX_LIMIT;

  /** The flags, their defaults and help, in the order {@code --help} shows them. */
  enum Flag {
    HOST("--host", "0.0.0.0", "Address both servers bind to."),
    PORT("--port", "8080", "App HTTP port; 0 picks a free port."),
    METRICS_PORT("--metrics-port", "8081", "Prometheus /metrics port; 0 picks a free port."),
    INSTANCE(
        "--instance",
        null,
        "Instance name in X-Surge-Instance. Default: $HOSTNAME, else the host name."),
    METRICS(
        "--metrics",
        "true",
        "Per-request instrumentation on/off (off only for the overhead benchmark)."),
    MAX_CPU_MILLIS("--max-cpu-millis", "1000", "Largest cpuMillis /api/work accepts."),
    MAX_DELAY_MILLIS(
        "--max-delay-millis", "30000", "Largest /delay/{millis} and added latency accepted."),
    MAX_BODY_BYTES("--max-body-bytes", "65536", "Largest request body accepted; larger gives 413."),
    ERROR_RATE(
        "--error-rate", "0", "Share of /api/* requests answered with an injected 500 (0..1)."),
    ADDED_LATENCY("--added-latency", "0ms", "Latency added to /api/* responses (e.g. 250ms)."),
    READY("--ready", "true", "Readiness on/off; false forces /readyz to 503."),
    DRAIN_DELAY("--drain-delay", "5s", "After SIGTERM: time to keep serving with readiness off."),
    SHUTDOWN_TIMEOUT("--shutdown-timeout", "20s", "Then: time in-flight requests get to finish."),
    ADMIN("--admin", "true", "Admin endpoints on/off; false removes /admin/* (404)."),
    ADMIN_TOKEN_FILE(
        "--admin-token-file",
        null,
        "File holding the bearer token that PUT/POST/DELETE /admin/* require. Default: none"
            + " (admin endpoints open to anyone who reaches the port).");

    final String flag;
    final String defaultValue;
    final String help;

    Flag(String flag, String defaultValue, String help) {
      this.flag = flag;
      this.defaultValue = defaultValue;
      this.help = help;
    }

    boolean isBoolean() {
      return this == METRICS || this == READY || this == ADMIN;
    }
  }

  /**
   * A value {@link Builder#build()} refuses: which flag, the value as the builder saw it, and what
   * was expected. {@link #parse} re-words it with the text the user typed and where it came from.
   */
  static final class InvalidSetting extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final transient Flag flag;
    final String expectation;

    InvalidSetting(Flag flag, Object value, String expectation) {
      super("Invalid value '" + value + "' for " + flag.flag + ": " + expectation);
      this.flag = flag;
      this.expectation = expectation;
    }
  }

  private final String host;
  private final int port;
  private final int metricsPort;
  private final String instance;
  private final boolean metricsEnabled;
  private final int maxCpuMillis;
  private final int maxDelayMillis;
  private final int maxBodyBytes;
  private final double errorRate;
  private final Duration addedLatency;
  private final boolean ready;
  private final Duration drainDelay;
  private final Duration shutdownTimeout;
  private final boolean adminEnabled;
  private final Path adminTokenFile;
  private final AdminToken adminToken;

  private AppConfig(Builder b, String instance, AdminToken adminToken) {
    this.host = b.host;
    this.port = b.port;
    this.metricsPort = b.metricsPort;
    this.instance = instance;
    this.metricsEnabled = b.metricsEnabled;
    this.maxCpuMillis = b.maxCpuMillis;
    this.maxDelayMillis = b.maxDelayMillis;
    this.maxBodyBytes = b.maxBodyBytes;
    this.errorRate = b.errorRate;
    this.addedLatency = b.addedLatency;
    this.ready = b.ready;
    this.drainDelay = b.drainDelay;
    this.shutdownTimeout = b.shutdownTimeout;
    this.adminEnabled = b.adminEnabled;
    this.adminTokenFile = b.adminTokenFile;
    this.adminToken = adminToken;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Address both servers bind to. */
  public String host() {
    return host;
  }

  /** App HTTP port (0 picks a free one). */
  public int port() {
    return port;
  }

  /** Prometheus metrics port (0 picks a free one). */
  public int metricsPort() {
    return metricsPort;
  }

  /** Name reported in {@code X-Surge-Instance} and {@code GET /}. */
  public String instance() {
    return instance;
  }

  /** Whether the per-request instrumentation runs (off only for the overhead benchmark). */
  public boolean metricsEnabled() {
    return metricsEnabled;
  }

  /** Largest {@code cpuMillis} {@code /api/work} accepts. */
  public int maxCpuMillis() {
    return maxCpuMillis;
  }

  /** Largest {@code /delay/{millis}} and added latency accepted. */
  public int maxDelayMillis() {
    return maxDelayMillis;
  }

  /** Largest request body accepted (larger gives 413). */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Share of {@code /api/*} requests answered with an injected 500, 0..1. */
  public double errorRate() {
    return errorRate;
  }

  /** Latency added to every {@code /api/*} response. */
  public Duration addedLatency() {
    return addedLatency;
  }

  /** Whether readiness starts on (false forces {@code /readyz} to 503). */
  public boolean ready() {
    return ready;
  }

  /** How long the app keeps serving after SIGTERM, with readiness off. */
  public Duration drainDelay() {
    return drainDelay;
  }

  /** How long in-flight requests may take to finish once the app stops accepting. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Whether the {@code /admin/*} routes exist at all. */
  public boolean adminEnabled() {
    return adminEnabled;
  }

  /** Where the admin token was read from, if anywhere. */
  public Optional<Path> adminTokenFile() {
    return Optional.ofNullable(adminTokenFile);
  }

  /** The token mutating admin requests need; {@link AdminToken#none()} when none is set. */
  public AdminToken adminToken() {
    return adminToken;
  }

  @Override
  public String toString() {
    // The token is never part of it (AdminToken.toString says only whether one is set).
    return "AppConfig[host="
        + host
        + ", port="
        + port
        + ", metricsPort="
        + metricsPort
        + ", instance="
        + instance
        + ", metricsEnabled="
        + metricsEnabled
        + ", maxCpuMillis="
        + maxCpuMillis
        + ", maxDelayMillis="
        + maxDelayMillis
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", errorRate="
        + errorRate
        + ", addedLatency="
        + addedLatency
        + ", ready="
        + ready
        + ", drainDelay="
        + drainDelay
        + ", shutdownTimeout="
        + shutdownTimeout
        + ", adminEnabled="
        + adminEnabled
        + ", adminTokenFile="
        + adminTokenFile
        + ", adminToken="
        + adminToken
        + "]";
  }

  /**
   * Collects the settings; {@link #build()} validates them. Every setter documents its default.
   *
   * <p>Not thread-safe; the {@link AppConfig} it builds is immutable.
   */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private int metricsPort = 8081;
    private String instance;
    private boolean metricsEnabled = true;
    private int maxCpuMillis = 1000;
    private int maxDelayMillis = 30_000;
    private int maxBodyBytes = 65_536;
    private double errorRate;
    private Duration addedLatency = Duration.ZERO;
    private boolean ready = true;
    private Duration drainDelay = Duration.ofSeconds(5);
    private Duration shutdownTimeout = Duration.ofSeconds(20);
    private boolean adminEnabled = true;
    private Path adminTokenFile;

    private Builder() {}

    /** Address both servers bind to. Default is {@code 0.0.0.0}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** App HTTP port, 0..65535 (0 picks a free one). Default is 8080. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Metrics port, 0..65535, not the app port. Default is 8081. */
    public Builder metricsPort(int metricsPort) {
      this.metricsPort = metricsPort;
      return this;
    }

    /**
     * Letters, digits, {@code . _ -}, at most 253. Default is this machine's host name ({@link
     * #parse} prefers {@code $HOSTNAME}, the pod name).
     */
    public Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    /** Per-request instrumentation. Default is true. */
    public Builder metricsEnabled(boolean metricsEnabled) {
      this.metricsEnabled = metricsEnabled;
      return this;
    }

    /** 0..3600000. Default is 1000. */
    public Builder maxCpuMillis(int maxCpuMillis) {
      this.maxCpuMillis = maxCpuMillis;
      return this;
    }

    /** 0..3600000. Default is 30000. */
    public Builder maxDelayMillis(int maxDelayMillis) {
      this.maxDelayMillis = maxDelayMillis;
      return this;
    }

    /** 1..67108864. Default is 65536. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** 0..1. Default is 0. */
    public Builder errorRate(double errorRate) {
      this.errorRate = errorRate;
      return this;
    }

    /** Not negative, at most {@code maxDelayMillis}. Default is zero. */
    public Builder addedLatency(Duration addedLatency) {
      this.addedLatency = addedLatency;
      return this;
    }

    /** Default is true. */
    public Builder ready(boolean ready) {
      this.ready = ready;
      return this;
    }

    /** Not negative. Default is 5 s. */
    public Builder drainDelay(Duration drainDelay) {
      this.drainDelay = drainDelay;
      return this;
    }

    /** Not negative. Default is 20 s. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /** Whether the {@code /admin/*} routes exist. Default is true. */
    public Builder adminEnabled(boolean adminEnabled) {
      this.adminEnabled = adminEnabled;
      return this;
    }

    /**
     * A file with the admin token (read by {@link #build()}: it must exist and not be empty).
     * Default is none: the admin endpoints need no token.
     */
    public Builder adminTokenFile(Path adminTokenFile) {
      this.adminTokenFile = adminTokenFile;
      return this;
    }

    /**
     * Validates every setting and reads the token file.
     *
     * @throws IllegalArgumentException {@code Invalid value '<value>' for --<flag>: <expected>}
     */
    public AppConfig build() {
      check(host != null && !host.isBlank(), Flag.HOST, host, "expected an address or host name");
      check(port >= 0 && port <= 65535, Flag.PORT, port, PORT_RANGE);
      check(metricsPort >= 0 && metricsPort <= 65535, Flag.METRICS_PORT, metricsPort, PORT_RANGE);
      check(
          port == 0 || port != metricsPort,
          Flag.METRICS_PORT,
          metricsPort,
          "must differ from --port");
      String name = instance != null ? instance : hostName();
      check(
          INSTANCE_NAME.matcher(name).matches(),
          Flag.INSTANCE,
          name,
          "expected letters, digits, '.', '_' or '-' (at most 253)");
      check(
          maxCpuMillis >= 0 && maxCpuMillis <= MAX_LIMIT,
          Flag.MAX_CPU_MILLIS,
          maxCpuMillis,
          LIMIT_RANGE);
      check(
          maxDelayMillis >= 0 && maxDelayMillis <= MAX_LIMIT,
          Flag.MAX_DELAY_MILLIS,
          maxDelayMillis,
          LIMIT_RANGE);
      check(
          maxBodyBytes >= 1 && maxBodyBytes <= MAX_BODY_LIMIT,
          Flag.MAX_BODY_BYTES,
          maxBodyBytes,
          "expected an integer from 1 to " + MAX_BODY_LIMIT);
      check(
          errorRate >= 0.0 && errorRate <= 1.0,
          Flag.ERROR_RATE,
          errorRate,
          "expected a number from 0 to 1");
      checkDuration(addedLatency, Flag.ADDED_LATENCY);
      check(
          addedLatency.toMillis() <= maxDelayMillis,
          Flag.ADDED_LATENCY,
          format(addedLatency),
          "must not exceed --max-delay-millis (" + maxDelayMillis + ")");
      checkDuration(drainDelay, Flag.DRAIN_DELAY);
      checkDuration(shutdownTimeout, Flag.SHUTDOWN_TIMEOUT);
      AdminToken token = AdminToken.none();
      if (adminTokenFile != null) {
        try {
          token = AdminToken.read(adminTokenFile);
        } catch (IllegalArgumentException e) {
          throw new InvalidSetting(Flag.ADMIN_TOKEN_FILE, adminTokenFile, e.getMessage());
        }
      }
      return new AppConfig(this, name, token);
    }

    private static void checkDuration(Duration d, Flag flag) {
      check(d != null && !d.isNegative(), flag, d == null ? null : format(d), DURATION);
    }

    private static void check(boolean ok, Flag flag, Object value, String expectation) {
      if (!ok) {
        throw new InvalidSetting(flag, value, expectation);
      }
    }
  }

  private static String format(Duration d) {
    return d.isNegative() ? d.toString() : Durations.format(d.toNanos() / 1e9);
  }

  /**
   * Builds the configuration from {@code args} (flags), then {@code env} ({@code SURGE_*}), then
   * defaults.
   *
   * @throws IllegalArgumentException naming the flag (and the variable, if the value came from one)
   *     and the bad value, or the unknown flag
   */
  public static AppConfig parse(List<String> args, Map<String, String> env) {
    CommandSpec spec = commandSpec();
    CommandLine cli = new CommandLine(spec);
    EnvDefaults envDefaults = new EnvDefaults(ENV_PREFIX, env);
    cli.setDefaultValueProvider(envDefaults);
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args.toArray(new String[0]));
    } catch (UnmatchedArgumentException e) {
      String first = e.getUnmatched().get(0);
      throw new IllegalArgumentException(
          first.startsWith("-")
              ? "Unknown flag '" + first + "'"
              : "Unexpected argument '" + first + "': every setting is a --flag",
          e);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Values values = new Values(spec, parsed, envDefaults);
    try {
      Builder b =
          builder()
              .host(values.raw(Flag.HOST).trim())
              .port(values.integer(Flag.PORT, PORT_RANGE))
              .metricsPort(values.integer(Flag.METRICS_PORT, PORT_RANGE))
              .metricsEnabled(values.bool(Flag.METRICS))
              .maxCpuMillis(values.integer(Flag.MAX_CPU_MILLIS, LIMIT_RANGE))
              .maxDelayMillis(values.integer(Flag.MAX_DELAY_MILLIS, LIMIT_RANGE))
              .maxBodyBytes(
                  values.integer(
                      Flag.MAX_BODY_BYTES, "expected an integer from 1 to " + MAX_BODY_LIMIT))
              .errorRate(values.ratio(Flag.ERROR_RATE))
              .addedLatency(values.duration(Flag.ADDED_LATENCY))
              .ready(values.bool(Flag.READY))
              .drainDelay(values.duration(Flag.DRAIN_DELAY))
              .shutdownTimeout(values.duration(Flag.SHUTDOWN_TIMEOUT))
              .adminEnabled(values.bool(Flag.ADMIN));
      String instance = values.raw(Flag.INSTANCE);
      b.instance(instance != null ? instance : podName(env));
      String tokenFile = values.raw(Flag.ADMIN_TOKEN_FILE);
      if (tokenFile != null) {
        b.adminTokenFile(Path.of(tokenFile));
      }
      return b.build();
    } catch (InvalidSetting e) {
      throw values.invalid(e.flag, e.expectation, e);
    } catch (java.nio.file.InvalidPathException e) {
      throw values.invalid(Flag.ADMIN_TOKEN_FILE, "not a file path", e);
    }
  }

  /** The {@code --help} text. */
  public static String usage() {
    return new CommandLine(commandSpec()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.create();
    spec.name("java -jar surge-app.jar");
    spec.usageMessage()
        .description(
            "The surge demo workload: a Jetty app with Prometheus metrics, faults and burn.")
        .footer(
            "",
            "Every flag can also be set by environment variable SURGE_<FLAG> (e.g. SURGE_METRICS_PORT);",
            "flags win. Durations: 500ms, 5s, 1.5s, 2m, 1m30s, 1h.",
            "Exit codes: 0 stopped cleanly, 2 bad flag or port taken, 70 bug.");
    spec.parser().expandAtFiles(false);
    for (Flag f : Flag.values()) {
      OptionSpec.Builder option =
          OptionSpec.builder(f.flag)
              .type(String.class)
              .paramLabel("<" + f.flag.substring(2) + ">")
              .description(
                  f.help + (f.defaultValue == null ? "" : " Default: " + f.defaultValue + "."));
      if (f.defaultValue != null) {
        option.defaultValue(f.defaultValue);
      }
      if (f.isBoolean()) {
        // "--metrics" alone means true, as users expect of a switch; "--metrics=false" turns it
        // off.
        option.arity("0..1").fallbackValue("true");
      } else {
        option.arity("1");
      }
      spec.addOption(option.build());
    }
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
    spec.addOption(
        OptionSpec.builder("--version").versionHelp(true).description("Show the version.").build());
    return spec;
  }

  /** Whether {@code args} ask for help or the version rather than a run. */
  static boolean wantsHelp(List<String> args) {
    return args.contains("-h") || args.contains("--help");
  }

  static boolean wantsVersion(List<String> args) {
    return args.contains("--version");
  }

  /**
   * A flag's text as picocli resolved it (flag, then {@code SURGE_*} through {@link EnvDefaults},
   * then default), converted with the message {@link Builder#build()} would give.
   */
  private static final class Values {
    private final CommandSpec spec;
    private final ParseResult parsed;
    private final EnvDefaults env;

    Values(CommandSpec spec, ParseResult parsed, EnvDefaults env) {
      this.spec = spec;
      this.parsed = parsed;
      this.env = env;
    }

    String raw(Flag f) {
      return spec.findOption(f.flag).getValue();
    }

    /** "--port", or "--port (from SURGE_PORT)" when the value came from the environment. */
    private String source(Flag f) {
      OptionSpec option = spec.findOption(f.flag);
      if (!parsed.hasMatchedOption(f.flag) && env.defaultValue(option) != null) {
        return f.flag + " (from " + env.variable(f.flag) + ")";
      }
      return f.flag;
    }

    IllegalArgumentException invalid(Flag f, String expectation, Exception cause) {
      return new IllegalArgumentException(
          "Invalid value '" + raw(f) + "' for " + source(f) + ": " + expectation, cause);
    }

    int integer(Flag f, String expectation) {
      try {
        return Integer.parseInt(raw(f).trim());
      } catch (NumberFormatException e) {
        throw new InvalidSetting(f, raw(f), expectation);
      }
    }

    boolean bool(Flag f) {
      String text = raw(f).trim();
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
      throw new InvalidSetting(f, raw(f), BOOLEAN);
    }

    double ratio(Flag f) {
      try {
        double value = Double.parseDouble(raw(f).trim());
        // NaN passes no range check in build(); say so here, where the text is known.
        if (!Double.isNaN(value)) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below, which says what is expected
      }
      throw new InvalidSetting(f, raw(f), "expected a number from 0 to 1");
    }

    Duration duration(Flag f) {
      String text = raw(f).trim();
      try {
        // common.Durations: the loadgen's syntax, a superset of what the app accepted before
        // (1.5s and 1m30s as well as 500ms, 5s, 2m, 1h).
        return Duration.ofNanos(Math.round(Durations.parseSeconds(text) * 1e9));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new InvalidSetting(f, raw(f), DURATION);
      }
    }
  }

  /** The pod name in Kubernetes ($HOSTNAME), when it is a valid instance name; else null. */
  private static String podName(Map<String, String> env) {
    String hostname = env.get("HOSTNAME");
    return hostname != null && INSTANCE_NAME.matcher(hostname).matches() ? hostname : null;
  }

  /** This machine's host name, or {@code localhost} when it has none that fits. */
  private static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return INSTANCE_NAME.matcher(name).matches() ? name : "localhost";
    } catch (UnknownHostException e) {
      // A host without a resolvable name still runs; the instance is only a label for humans.
      return "localhost";
    }
  }
}
