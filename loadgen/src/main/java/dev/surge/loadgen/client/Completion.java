package dev.surge.loadgen.client;

/**
 * Told when a request's outcome has been recorded (a response or a failure). The closed model uses
 * it to send a connection's next request; it runs on the transport's I/O thread, so it must not
 * block.
 */
@FunctionalInterface
public interface Completion {
  /** Does nothing: the open model does not wait for outcomes. */
  Completion NONE = () -> {};

  /** The request's outcome has been recorded. */
  void completed();
}
