package dev.surge.common.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one flags-then-environment mechanism: an option {@code --max-in-flight} falls back to {@code
 * <PREFIX>MAX_IN_FLIGHT} (e.g. {@code SURGE_LOADGEN_MAX_IN_FLIGHT}, {@code SURGE_MAX_IN_FLIGHT}). A
 * flag on the command line wins; the environment wins over the option's default. When a value from
 * the environment is refused, {@link #naming} puts the variable in front of the message ({@code
 * SURGE_PORT=abc: Invalid value for option '--port': ...}), so the user knows where to look.
 *
 * <pre>{@code
 * cli.setDefaultValueProvider(new EnvDefaults("SURGE_", System.getenv()));
 * }</pre>
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  private final String prefix;
  private final Map<String, String> env;

  public EnvDefaults(String prefix, Map<String, String> env) {
    this.prefix = prefix;
    this.env = Map.copyOf(env);
  }

  /**
   * The environment variable for an option name, e.g. {@code --max-in-flight ->
   * <PREFIX>MAX_IN_FLIGHT}.
   */
  public String variable(String longName) {
    String bare = longName.replaceFirst("^-+", "");
    return prefix + bare.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * Where an option's value came from when it was the environment: {@code NAME=value} (e.g. {@code
   * SURGE_PORT=abc}); empty when the command line gave the option or the environment has nothing
   * for it.
   *
   * @param onCommandLine whether the command line gave the option (after a parse: {@link
   *     ParseResult#hasMatchedOption}; while one fails: {@link Cli#given})
   */
  public Optional<String> origin(OptionSpec option, boolean onCommandLine) {
    if (onCommandLine || option.usageHelp() || option.versionHelp()) {
      return Optional.empty();
    }
    String name = variable(option.longestName());
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(name + "=" + value);
  }

  /**
   * {@code message}, prefixed with {@code NAME=value: } when the option's value came from the
   * environment ({@link #origin}); unchanged otherwise.
   */
  public String naming(OptionSpec option, boolean onCommandLine, String message) {
    return origin(option, onCommandLine).map(o -> o + ": " + message).orElse(message);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || o.usageHelp() || o.versionHelp()) {
      return null;
    }
    String v = env.get(variable(o.longestName()));
    return v == null || v.isEmpty() ? null : v;
  }
}
