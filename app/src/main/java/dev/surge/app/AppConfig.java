package dev.surge.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The app's whole configuration, built once at start-up from command-line flags, then {@code
 * SURGE_*} environment variables (flags win), then defaults. Every value is validated here, so a
 * bad value stops start-up with a message naming the flag and the value, and nothing later has to
 * re-check it.
 *
 * <pre>{@code
 * AppConfig config = AppConfig.parse(List.of("--port", "0", "--metrics-port", "0"), System.getenv());
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
 * @param ready whether readiness is on (false forces {@code /readyz} to 503)
 * @param drainDelay how long the app keeps serving after SIGTERM, with readiness off
 * @param shutdownTimeout how long in-flight requests may take to finish once the app stops
 *     accepting
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
    Duration shutdownTimeout) {

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
    SHUTDOWN_TIMEOUT("--shutdown-timeout", "20s", "Then: time in-flight requests get to finish.");

    final String flag;
    final String defaultValue;
    final String help;

    Flag(String flag, String defaultValue, String help) {
      this.flag = flag;
      this.defaultValue = defaultValue;
      this.help = help;
    }

    /** {@code --max-cpu-millis} → {@code SURGE_MAX_CPU_MILLIS}. */
    String envName() {
      return "SURGE_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    boolean isBoolean() {
      return this == METRICS || this == READY;
    }
  }

  private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final int MAX_LIMIT = 3_600_000;

  /**
   * Builds the configuration from {@code args} (flags), then {@code env} ({@code SURGE_*}), then
   * defaults.
   *
   * @throws IllegalArgumentException naming the flag (and the variable, if the value came from one)
   *     and the bad value, or the unknown flag
   */
  public static AppConfig parse(List<String> args, Map<String, String> env) {
    ParseResult parsed;
    try {
      parsed = new CommandLine(commandSpec()).parseArgs(args.toArray(new String[0]));
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
    Values values = new Values(parsed, env);
    int port = values.intIn(Flag.PORT, 0, 65535);
    int metricsPort = values.intIn(Flag.METRICS_PORT, 0, 65535);
    if (port != 0 && port == metricsPort) {
      throw values.invalid(Flag.METRICS_PORT, "must differ from --port");
    }
    int maxDelayMillis = values.intIn(Flag.MAX_DELAY_MILLIS, 0, MAX_LIMIT);
    Duration addedLatency = values.duration(Flag.ADDED_LATENCY);
    if (addedLatency.toMillis() > maxDelayMillis) {
      throw values.invalid(
          Flag.ADDED_LATENCY, "must not exceed --max-delay-millis (" + maxDelayMillis + ")");
    }
    return new AppConfig(
        values.host(),
        port,
        metricsPort,
        values.instance(),
        values.bool(Flag.METRICS),
        values.intIn(Flag.MAX_CPU_MILLIS, 0, MAX_LIMIT),
        maxDelayMillis,
        values.intIn(Flag.MAX_BODY_BYTES, 1, 64 * 1024 * 1024),
        values.ratio(Flag.ERROR_RATE),
        addedLatency,
        values.bool(Flag.READY),
        values.duration(Flag.DRAIN_DELAY),
        values.duration(Flag.SHUTDOWN_TIMEOUT));
  }

  /** The {@code --help} text. */
  public static String usage() {
    CommandLine cl = new CommandLine(commandSpec());
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
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
            "flags win. Durations: 500ms, 5s, 2m, 1h.");
    spec.parser().expandAtFiles(false);
    for (Flag f : Flag.values()) {
      OptionSpec.Builder option =
          OptionSpec.builder(f.flag)
              .type(String.class)
              .paramLabel("<" + f.flag.substring(2) + ">")
              .description(
                  f.help + (f.defaultValue == null ? "" : " Default: " + f.defaultValue + "."));
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
   * Looks a flag's raw text up (flag, then env, then default) and converts it with an exact message
   * on failure.
   */
  private static final class Values {
    private final ParseResult parsed;
    private final Map<String, String> env;

    Values(ParseResult parsed, Map<String, String> env) {
      this.parsed = parsed;
      this.env = env;
    }

    private String raw(Flag f) {
      if (parsed.hasMatchedOption(f.flag)) {
        return parsed.matchedOptionValue(f.flag, f.defaultValue);
      }
      String fromEnv = env.get(f.envName());
      return fromEnv != null ? fromEnv : f.defaultValue;
    }

    /** "--port", or "--port (from SURGE_PORT)" when the value came from the environment. */
    private String source(Flag f) {
      if (!parsed.hasMatchedOption(f.flag) && env.get(f.envName()) != null) {
        return f.flag + " (from " + f.envName() + ")";
      }
      return f.flag;
    }

    IllegalArgumentException invalid(Flag f, String expectation) {
      return new IllegalArgumentException(
          "Invalid value '" + raw(f) + "' for " + source(f) + ": " + expectation);
    }

    int intIn(Flag f, int min, int max) {
      String text = raw(f);
      try {
        int value = Integer.parseInt(text.trim());
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below, which says what is expected
      }
      throw invalid(f, "expected an integer from " + min + " to " + max);
    }

    boolean bool(Flag f) {
      String text = raw(f).trim();
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
      throw invalid(f, "expected true or false");
    }

    double ratio(Flag f) {
      String text = raw(f);
      try {
        double value = Double.parseDouble(text.trim());
        if (value >= 0.0 && value <= 1.0) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw invalid(f, "expected a number from 0 to 1");
    }

    Duration duration(Flag f) {
      try {
        return Durations.parse(raw(f).trim());
      } catch (IllegalArgumentException e) {
        throw invalid(f, "expected a duration such as 500ms, 5s, 2m or 1h");
      }
    }

    String host() {
      String text = raw(Flag.HOST).trim();
      if (text.isEmpty()) {
        throw invalid(Flag.HOST, "expected an address or host name");
      }
      return text;
    }

    String instance() {
      String text = raw(Flag.INSTANCE);
      if (text == null) {
        text = defaultInstance(env);
      }
      if (!INSTANCE_NAME.matcher(text).matches()) {
        throw invalid(Flag.INSTANCE, "expected letters, digits, '.', '_' or '-' (at most 253)");
      }
      return text;
    }
  }

  /** The pod name in Kubernetes ($HOSTNAME), else the machine's host name. */
  private static String defaultInstance(Map<String, String> env) {
    String hostname = env.get("HOSTNAME");
    if (hostname != null && INSTANCE_NAME.matcher(hostname).matches()) {
      return hostname;
    }
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return INSTANCE_NAME.matcher(name).matches() ? name : "localhost";
    } catch (UnknownHostException e) {
      // A host without a resolvable name still runs; the instance is only a label for humans.
      return "localhost";
    }
  }
}
