package dev.surge.common.cli;

/**
 * The exit codes of every surge program, in one place (the JDK's {@code jwebserver} keeps its
 * {@code Startup} codes the same way). Documented in the loadgen and app READMEs.
 */
public enum ExitCode {
  /** Everything ran and every check passed. */
  OK(0),
  /**
   * The program ran, but its verdict is negative: thresholds crossed, a run aborted, a check
   * failed.
   */
  FAILED(1),
  /**
   * The user's input was wrong (a flag, a value, a file), or does not fit this machine (a port the
   * flag names is already taken): the message names it; no stack trace.
   */
  USAGE(2),
  /** A bug or an unexpected failure of the environment: the stack trace is printed. */
  SOFTWARE(70);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }
}
