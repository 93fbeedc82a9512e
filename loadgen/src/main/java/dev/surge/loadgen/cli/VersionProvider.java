package dev.surge.loadgen.cli;

import picocli.CommandLine;

/**
 * Reads the version from the jar manifest (Implementation-Version), "dev" when run from classes.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = SurgeLoadgen.class.getPackage().getImplementationVersion();
    return new String[] {"surge-loadgen " + (v == null ? "dev" : v)};
  }
}
