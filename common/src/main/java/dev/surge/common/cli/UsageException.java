package dev.surge.common.cli;

import java.util.function.Supplier;

/**
 * A user's mistake found after parsing (a flag value that parsed but makes no sense with the
 * others, a file that is not there, a manifest without an HPA). The message names the flag and the
 * value; the program prints it in one line and exits with {@link ExitCode#USAGE}, never with a
 * stack trace.
 *
 * <p>Keep it distinct from {@link IllegalArgumentException}: a library's or our own {@code
 * IllegalArgumentException} that reaches the top is a bug and is reported as one.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Runs {@code action}, turning an {@link IllegalArgumentException} from validation (a builder's
   * {@code build()}, a parser) into a usage error prefixed with {@code context} (e.g. the flag).
   */
  public static <T> T fromInvalid(String context, Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          context == null || context.isEmpty() ? e.getMessage() : context + ": " + e.getMessage(),
          e);
    }
  }
}
