package dev.surge.loadgen.cli;

/** The loadgen version from the jar manifest, {@code dev} when run from classes. */
final class Version {
  private Version() {}

  static String get() {
    String v = SurgeLoadgen.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
