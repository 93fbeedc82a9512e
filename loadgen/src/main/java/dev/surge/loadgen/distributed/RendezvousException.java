package dev.surge.loadgen.distributed;

import dev.surge.common.cli.ExitCode;

/**
 * A distributed run could not be set up or finished: a shard did not join in time, the coordinator
 * is unreachable, a result could not be delivered. The message names the shard index(es) and the
 * address; the {@code run} command prints it in one line (no stack trace) and exits with {@link
 * #exitCode()}.
 */
public final class RendezvousException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ExitCode exitCode;

  public RendezvousException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public RendezvousException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** {@link ExitCode#USAGE} when the addresses given look wrong, else {@link ExitCode#FAILED}. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
