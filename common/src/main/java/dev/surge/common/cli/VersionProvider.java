package dev.surge.common.cli;

import dev.surge.common.Version;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} for every surge command: {@code <root command name> <project version>}, e.g.
 * {@code surge-loadgen 0.1.0}, from {@link Version}.
 *
 * <pre>{@code
 * @Command(name = "surge-lab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
 * }</pre>
 */
public final class VersionProvider implements IVersionProvider {
  @Spec CommandSpec spec;

  @Override
  public String[] getVersion() {
    return new String[] {spec.root().name() + " " + Version.get()};
  }
}
