package dev.surge.common.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one flags-then-environment mechanism: an option {@code --max-in-flight} falls back to {@code
 * <PREFIX>MAX_IN_FLIGHT} (e.g. {@code SURGE_LOADGEN_MAX_IN_FLIGHT}, {@code SURGE_MAX_IN_FLIGHT}). A
 * flag on the command line wins; the environment wins over the option's default.
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

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || o.usageHelp() || o.versionHelp()) {
      return null;
    }
    String v = env.get(variable(o.longestName()));
    return v == null || v.isEmpty() ? null : v;
  }
}
