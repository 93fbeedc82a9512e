package dev.surge.app;

import dev.surge.common.Durations;
import dev.surge.common.cli.Cli;
import dev.surge.common.cli.Converters;
import dev.surge.common.cli.EnvDefaults;
import dev.surge.common.cli.UsageException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The app's whole configuration, immutable and valid by construction (the canonical constructor
 * checks every value, so nothing later has to re-check one). {@link #builder()} for code, {@link
 * #parse} for the command line: flags, then {@code SURGE_*} environment variables ({@link
 * EnvDefaults}), then the defaults of one table ({@link Flag}), read through the shared {@code
 * common.cli} converters and {@link Cli#configure}. A bad value is refused with a message naming
 * the flag and the value, and the variable when the value came from one ({@code SURGE_PORT=abc:
 * Invalid value for option '--port': 'abc' is not an integer from 0 to 65535}).
 *
 * <pre>{@code
 * AppConfig config = AppConfig.builder().port(0).metricsPort(0).drainDelay(Duration.ZERO).build();
 * AppConfig fromCli = AppConfig.parse(List.of("--port", "0", "--metrics-port", "0"), System.getenv());
 * try (SurgeApp app = SurgeApp.start(config)) { ... app.port() ... }
 * }</pre>
 *
 * @param host address both servers bind to
 * @param port app HTTP port (0 picks a free one)
 * @param metricsPort Prometheus metrics port (0 picks a free one)
 * @param instance name reported in {@code X-Surge-Instance} and {@code GET /}
 * @param metricsEnabled whether the per-request instrumentation runs (off only for the overhead
 *     benchmark)
 * @param maxCpuMillis largest {@code cpuMillis} {@code /api/work} accepts
 * @param maxDelayMillis largest {@code /delay/{millis}} and added latency accepted
 * @param maxBodyBytes largest request body accepted (larger gives 413)
 * @param errorRate share of {@code /api/*} requests answered with an injected 500, 0..1
 * @param addedLatency latency added to every {@code /api/*} response
 * @param ready whether readiness starts on (false forces {@code /readyz} to 503)
 * @param drainDelay how long the app keeps serving after SIGTERM, with readiness off
 * @param shutdownTimeout how long in-flight requests may take to finish once the app stops
 *     accepting
 * @param adminEnabled whether the {@code /admin/*} routes exist at all
 * @param adminTokenFile where the admin token was read from, if anywhere
 * @param adminToken the token mutating admin requests need; {@link AdminToken#none()} when none is
 *     set (its {@code toString} never shows the token)
 */
public record AppConfig(
    String host,
    int port,
    int metricsPort,
    String instance,
    boolean metricsEnabled,
    int maxCpuMillis,
    int maxDelayMillis,
    int maxBodyBytes,
    double errorRate,
    Duration addedLatency,
    boolean ready,
    Duration drainDelay,
    Duration shutdownTimeout,
    boolean adminEnabled,
    Optional<Path> adminTokenFile,
    AdminToken adminToken) {
  /**
   * Prefix of the environment variables: {@code --max-cpu-millis} → {@code SURGE_MAX_CPU_MILLIS}.
   */
  public static final String ENV_PREFIX = "SURGE_";

  private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final int MAX_LIMIT = 3_600_000;
  private static final int MAX_BODY_LIMIT = 64 * 1024 * 1024;
  private static final String NOT_A_HOST = "is not an address or host name";
  private static final String PORT_RANGE = "is not an integer from 0 to 65535";
  private static final String LIMIT_RANGE = "is not an integer from 0 to " + MAX_LIMIT;
  private static final String BODY_RANGE = "is not an integer from 1 to " + MAX_BODY_LIMIT;
  private static final String RATIO = "is not a number from 0 to 1";
  private static final String SWITCH = "is not true or false";
  private static final String DURATION = "is not a duration such as 500ms, 5s, 2m or 1h";
  private static final String NOT_AN_INSTANCE =
      "is not letters, digits, '.', '_' or '-' (at most 253)";

  /**
   * The one table of settings: flag, default, help, how the text is read, and which builder setter
   * takes it, in the order {@code --help} shows them. {@link Builder}'s defaults come from here, so
   * {@code --help}, {@link #parse} and {@link #builder()} cannot disagree.
   */
  // The converters and setters are stateless lambdas: the enum is immutable in fact.
  @SuppressWarnings("ImmutableEnumChecker")
  enum Flag {
    HOST(
        "--host",
        "0.0.0.0",
        "Address both servers bind to.",
        text(v -> v.isBlank() ? null : v.trim(), NOT_A_HOST),
        (b, v) -> b.host((String) v)),
    PORT(
        "--port",
        "8080",
        "App HTTP port; 0 picks a free port.",
        integer(0, 65535, PORT_RANGE),
        (b, v) -> b.port((Integer) v)),
    METRICS_PORT(
        "--metrics-port",
        "8081",
        "Prometheus /metrics port; 0 picks a free port.",
        integer(0, 65535, PORT_RANGE),
        (b, v) -> b.metricsPort((Integer) v)),
    INSTANCE(
        "--instance",
        null,
        "Instance name in X-Surge-Instance. Default: $HOSTNAME, else the host name.",
        text(v -> INSTANCE_NAME.matcher(v).matches() ? v : null, NOT_AN_INSTANCE),
        (b, v) -> b.instance((String) v)),
    METRICS(
        "--metrics",
        "true",
        "Per-request instrumentation on/off (off only for the overhead benchmark).",
        switchValue(),
        (b, v) -> b.metricsEnabled((Boolean) v)),
    MAX_CPU_MILLIS(
        "--max-cpu-millis",
        "1000",
        "Largest cpuMillis /api/work accepts.",
        integer(0, MAX_LIMIT, LIMIT_RANGE),
        (b, v) -> b.maxCpuMillis((Integer) v)),
    MAX_DELAY_MILLIS(
        "--max-delay-millis",
        "30000",
        "Largest /delay/{millis} and added latency accepted.",
        integer(0, MAX_LIMIT, LIMIT_RANGE),
        (b, v) -> b.maxDelayMillis((Integer) v)),
    MAX_BODY_BYTES(
        "--max-body-bytes",
        "65536",
        "Largest request body accepted; larger gives 413.",
        integer(1, MAX_BODY_LIMIT, BODY_RANGE),
        (b, v) -> b.maxBodyBytes((Integer) v)),
    ERROR_RATE(
        "--error-rate",
        "0",
        "Share of /api/* requests answered with an injected 500 (0..1).",
        ratio(),
        (b, v) -> b.errorRate((Double) v)),
    ADDED_LATENCY(
        "--added-latency",
        "0ms",
        "Latency added to /api/* responses (e.g. 250ms).",
        duration(),
        (b, v) -> b.addedLatency((Duration) v)),
    READY(
        "--ready",
        "true",
        "Readiness on/off; false forces /readyz to 503.",
        switchValue(),
        (b, v) -> b.ready((Boolean) v)),
    DRAIN_DELAY(
        "--drain-delay",
        "5s",
        "After SIGTERM: time to keep serving with readiness off.",
        duration(),
        (b, v) -> b.drainDelay((Duration) v)),
    SHUTDOWN_TIMEOUT(
        "--shutdown-timeout",
        "20s",
        "Then: time in-flight requests get to finish.",
        duration(),
        (b, v) -> b.shutdownTimeout((Duration) v)),
    ADMIN(
        "--admin",
        "true",
        "Admin endpoints on/off; false removes /admin/* (404).",
        switchValue(),
        (b, v) -> b.adminEnabled((Boolean) v)),
    ADMIN_TOKEN_FILE(
        "--admin-token-file",
        null,
        "File holding the bearer token that PUT/POST/DELETE /admin/* require. Default: none"
            + " (admin endpoints open to anyone who reaches the port).",
        path(),
        (b, v) -> b.adminTokenFile((Path) v));

    final String flag;
    final String defaultValue;
    final String help;
    final ITypeConverter<?> converter;
    private final BiConsumer<Builder, Object> setter;

    Flag(
        String flag,
        String defaultValue,
        String help,
        ITypeConverter<?> converter,
        BiConsumer<Builder, Object> setter) {
      this.flag = flag;
      this.defaultValue = defaultValue;
      this.help = help;
      this.converter = converter;
      this.setter = setter;
    }

    /** The setting of a flag name such as {@code --port}, or null. */
    static Flag named(String name) {
      for (Flag f : values()) {
        if (f.flag.equals(name)) {
          return f;
        }
      }
      return null;
    }

    boolean isBoolean() {
      return this == METRICS || this == READY || this == ADMIN;
    }

    /** Hands an already converted value to the builder's setter. */
    void set(Builder b, Object value) {
      setter.accept(b, value);
    }

    /** The default, converted as a flag's text would be; only for settings that have one. */
    Object defaultConverted() {
      try {
        return converter.convert(defaultValue);
      } catch (Exception e) {
        throw new IllegalStateException("the default of " + flag + " does not parse", e);
      }
    }

    /** {@code Invalid value for option '--port': '70000' is not an integer from 0 to 65535}. */
    InvalidSetting invalid(Object value, String problem) {
      return new InvalidSetting(
          this, "Invalid value for option '" + flag + "': " + quoted(value, problem));
    }
  }

  /** {@code '<value>' <problem>}: the text a converter and a check both give. */
  private static String quoted(Object value, String problem) {
    return "'" + value + "' " + problem;
  }

  private static ITypeConverter<String> text(Function<String, String> accept, String problem) {
    return new Converters.Parsed<>(v -> orRefuse(accept.apply(v), v, problem)) {};
  }

  private static ITypeConverter<Integer> integer(int min, int max, String problem) {
    return new Converters.Parsed<>(
        v -> {
          try {
            int i = Integer.parseInt(v.trim());
            return orRefuse(i >= min && i <= max ? i : null, v, problem);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quoted(v, problem), e);
          }
        }) {};
  }

  private static ITypeConverter<Double> ratio() {
    return new Converters.Parsed<>(
        v -> {
          try {
            double d = Double.parseDouble(v.trim());
            // NaN passes no range check; say so here, where the text is known.
            return orRefuse(d >= 0.0 && d <= 1.0 ? d : null, v, RATIO);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quoted(v, RATIO), e);
          }
        }) {};
  }

  private static ITypeConverter<Boolean> switchValue() {
    return new Converters.Parsed<>(
        v -> {
          String t = v.trim().toLowerCase(Locale.ROOT);
          Boolean b = t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
          return orRefuse(b, v, SWITCH);
        }) {};
  }

  private static ITypeConverter<Duration> duration() {
    // common.Durations: the loadgen's syntax (500ms, 5s, 1.5s, 1m30s, 2m, 1h), never negative.
    return new Converters.Parsed<>(
        v -> {
          try {
            return Duration.ofNanos(Math.round(Durations.parseSeconds(v) * 1e9));
          } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(quoted(v, DURATION), e);
          }
        }) {};
  }

  private static ITypeConverter<Path> path() {
    return new Converters.Parsed<>(
        v -> {
          try {
            return Path.of(v);
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException(quoted(v, "is not a file path"), e);
          }
        }) {};
  }

  private static <T> T orRefuse(T accepted, String text, String problem) {
    if (accepted == null) {
      throw new IllegalArgumentException(quoted(text, problem));
    }
    return accepted;
  }

  /**
   * A value the constructor refuses, with the flag it belongs to, so that {@link #parse} can add
   * the {@code SURGE_*} variable when the value came from one.
   */
  static final class InvalidSetting extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final transient Flag flag;

    InvalidSetting(Flag flag, String message) {
      super(message);
      this.flag = flag;
    }
  }

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException {@code Invalid value for option '--<flag>': '<value>' <what is
   *     wrong>}
   */
  public AppConfig {
    check(host != null && !host.isBlank(), Flag.HOST, host, NOT_A_HOST);
    check(port >= 0 && port <= 65535, Flag.PORT, port, PORT_RANGE);
    check(metricsPort >= 0 && metricsPort <= 65535, Flag.METRICS_PORT, metricsPort, PORT_RANGE);
    check(
        port == 0 || port != metricsPort,
        Flag.METRICS_PORT,
        metricsPort,
        "must differ from --port");
    check(
        instance != null && INSTANCE_NAME.matcher(instance).matches(),
        Flag.INSTANCE,
        instance,
        NOT_AN_INSTANCE);
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
        BODY_RANGE);
    check(errorRate >= 0.0 && errorRate <= 1.0, Flag.ERROR_RATE, errorRate, RATIO);
    checkDuration(addedLatency, Flag.ADDED_LATENCY);
    check(
        addedLatency.toMillis() <= maxDelayMillis,
        Flag.ADDED_LATENCY,
        format(addedLatency),
        "must not exceed --max-delay-millis (" + maxDelayMillis + ")");
    checkDuration(drainDelay, Flag.DRAIN_DELAY);
    checkDuration(shutdownTimeout, Flag.SHUTDOWN_TIMEOUT);
    Objects.requireNonNull(adminTokenFile, "adminTokenFile");
    Objects.requireNonNull(adminToken, "adminToken");
  }

  private static void checkDuration(Duration d, Flag flag) {
    check(d != null && !d.isNegative(), flag, d == null ? null : format(d), DURATION);
  }

  private static void check(boolean ok, Flag flag, Object value, String problem) {
    if (!ok) {
      throw flag.invalid(value, problem);
    }
  }

  private static String format(Duration d) {
    return d.isNegative() ? d.toString() : Durations.format(d.toNanos() / 1e9);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the settings; {@link #build()} validates them. Every default is the one in {@link
   * Flag}'s table (shown by {@code --help}).
   *
   * <p>Not thread-safe; the {@link AppConfig} it builds is immutable.
   */
  public static final class Builder {
    private String host;
    private int port;
    private int metricsPort;
    private String instance;
    private boolean metricsEnabled;
    private int maxCpuMillis;
    private int maxDelayMillis;
    private int maxBodyBytes;
    private double errorRate;
    private Duration addedLatency;
    private boolean ready;
    private Duration drainDelay;
    private Duration shutdownTimeout;
    private boolean adminEnabled;
    private Path adminTokenFile;

    private Builder() {
      for (Flag f : Flag.values()) {
        if (f.defaultValue != null) {
          f.set(this, f.defaultConverted());
        }
      }
    }

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
     * Reads the token file and validates every setting.
     *
     * @throws IllegalArgumentException {@code Invalid value for option '--<flag>': '<value>' <what
     *     is wrong>}
     */
    public AppConfig build() {
      AdminToken token = AdminToken.none();
      if (adminTokenFile != null) {
        try {
          token = AdminToken.read(adminTokenFile);
        } catch (IllegalArgumentException e) {
          throw Flag.ADMIN_TOKEN_FILE.invalid(
              adminTokenFile, "is not a token file: " + e.getMessage());
        }
      }
      return new AppConfig(
          host,
          port,
          metricsPort,
          instance != null ? instance : hostName(),
          metricsEnabled,
          maxCpuMillis,
          maxDelayMillis,
          maxBodyBytes,
          errorRate,
          addedLatency,
          ready,
          drainDelay,
          shutdownTimeout,
          adminEnabled,
          Optional.ofNullable(adminTokenFile),
          token);
    }
  }

  /**
   * Builds the configuration from {@code args} (flags), then {@code env} ({@code SURGE_*}), then
   * the defaults.
   *
   * @throws UsageException naming the flag and the bad value (prefixed with {@code
   *     SURGE_<FLAG>=<value>: } when the value came from the environment), or the unknown flag
   */
  public static AppConfig parse(List<String> args, Map<String, String> env) {
    return parseCommon(args, env).orElseGet(() -> parseWithPicocli(args, env));
  }

  /**
   * The common case without picocli: every argument a known {@code --flag value} or {@code
   * --flag=value} (a switch also alone), each at most once, and every value, from a flag or a
   * {@code SURGE_*} variable, accepted by the same converters and checks. Anything else (help, an
   * unknown or repeated flag, a missing, empty or refused value, a value that starts with {@code
   * -}, a positional argument) gives empty, and {@link #parse} asks picocli, whose result or exact
   * message is the reference ({@code AppConfigTest} checks that the two agree).
   *
   * <p>Why: picocli's jar is compiled for Java 5, so the JVM can keep none of its classes in an
   * AppCDS archive or AOT cache, and it loads and verifies about 150 of them (with the old
   * verifier) at every start, plus the converters it registers: about 70 ms of a 0.35 s start
   * (docs/BENCHMARKS.md, "App"), when a pod is started to take load.
   */
  static Optional<AppConfig> parseCommon(List<String> args, Map<String, String> env) {
    Map<Flag, String> given = new EnumMap<>(Flag.class);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      Flag flag = arg.startsWith("--") ? Flag.named(eq < 0 ? arg : arg.substring(0, eq)) : null;
      if (flag == null) {
        return Optional.empty();
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (flag.isBoolean()) {
        // "--metrics" alone is true; "--metrics false" is picocli's to read.
        if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          return Optional.empty();
        }
        value = "true";
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
        value = args.get(++i);
      } else {
        return Optional.empty();
      }
      if (value.isEmpty() || given.put(flag, value) != null) {
        return Optional.empty();
      }
    }
    EnvDefaults envDefaults = new EnvDefaults(ENV_PREFIX, env);
    Builder b = builder();
    for (Flag f : Flag.values()) {
      String text = given.get(f);
      if (text == null) {
        String fromEnv = env.get(envDefaults.variable(f.flag));
        text = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
      }
      if (text != null) {
        try {
          f.set(b, f.converter.convert(text));
        } catch (Exception e) {
          return Optional.empty(); // picocli says what is wrong, naming the flag or variable
        }
      } else if (f == Flag.INSTANCE) {
        b.instance(podName(env));
      }
    }
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@link #parse} through picocli: every case, with picocli's messages. */
  static AppConfig parseWithPicocli(List<String> args, Map<String, String> env) {
    CommandSpec spec = commandSpec();
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    CommandLine cli = Cli.configure(new CommandLine(spec), ENV_PREFIX, env, nowhere, nowhere);
    EnvDefaults envDefaults = (EnvDefaults) cli.getDefaultValueProvider();
    String[] argv = args.toArray(new String[0]);
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(argv);
    } catch (UnmatchedArgumentException e) {
      String first = e.getUnmatched().get(0);
      throw new UsageException(
          first.startsWith("-")
              ? "Unknown flag '" + first + "'"
              : "Unexpected argument '" + first + "': every setting is a --flag",
          e);
    } catch (ParameterException e) {
      throw new UsageException(Cli.message(e, argv), e);
    }
    Builder b = builder();
    for (Flag f : Flag.values()) {
      Object value = spec.findOption(f.flag).getValue();
      if (value != null) {
        f.set(b, value);
      }
    }
    if (spec.findOption(Flag.INSTANCE.flag).getValue() == null) {
      b.instance(podName(env));
    }
    try {
      return b.build();
    } catch (InvalidSetting e) {
      OptionSpec option = spec.findOption(e.flag.flag);
      throw new UsageException(
          envDefaults.naming(option, parsed.hasMatchedOption(option), e.getMessage()), e);
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
              .type(Object.class)
              .converters(f.converter)
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
