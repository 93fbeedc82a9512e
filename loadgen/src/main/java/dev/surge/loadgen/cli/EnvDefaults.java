package dev.surge.loadgen.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Environment fallback for every option: {@code --max-in-flight} is also read from {@code
 * SURGE_LOADGEN_MAX_IN_FLIGHT}. A flag on the command line wins; the environment wins over the
 * built-in default.
 */
final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  static final String PREFIX = "SURGE_LOADGEN_";

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  /**
   * The environment variable for an option name, e.g. {@code --max-in-flight ->
   * SURGE_LOADGEN_MAX_IN_FLIGHT}.
   */
  static String variable(String longName) {
    String bare = longName.replaceFirst("^-+", "");
    return PREFIX + bare.toUpperCase(Locale.ROOT).replace('-', '_');
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
