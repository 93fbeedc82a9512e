package dev.surge.loadgen.doctor;

/**
 * A read from the cluster failed (forbidden, unreachable, timed out); the message is kubectl's
 * error line, e.g. {@code Error from server (Forbidden): secrets "x" is forbidden: ...}.
 */
final class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String resource;

  /**
   * @param resource what was read ({@code secrets}), or null when it was no one resource
   */
  ClusterException(String message, String resource) {
    super(message);
    this.resource = resource;
  }

  ClusterException(String message) {
    this(message, null);
  }

  /** What was read, or null. */
  String resource() {
    return resource;
  }
}
