package dev.surge.loadgen.cli;

import dev.surge.loadgen.testing.Cli;

/**
 * Runs the CLI in-process (with no environment) and keeps its exit code and output, for the HPA
 * commands' tests.
 */
record CliRunner(int code, String out, String err) {
  static CliRunner run(String... args) {
    Cli.Result r = Cli.run(args);
    return new CliRunner(r.exitCode(), r.out(), r.err());
  }
}
