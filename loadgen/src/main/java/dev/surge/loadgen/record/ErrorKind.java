package dev.surge.loadgen.record;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why a request failed, a bounded set of kinds used as keys of {@code summary.errorsByKind}.
 * Transport failures are classified from the exception the client reports; HTTP failures from the
 * status class.
 */
public enum ErrorKind {
  /** Nothing listening: the TCP connect was refused. */
  CONNECT_REFUSED("connect_refused"),
  /** The TCP connect did not finish within the connect timeout. */
  CONNECT_TIMEOUT("connect_timeout"),
  /** The request did not complete within the request timeout (or the idle timeout fired). */
  TIMEOUT("timeout"),
  /** The peer reset or closed the connection before the response was complete. */
  RESET("reset"),
  /** The host name did not resolve. */
  UNKNOWN_HOST("unknown_host"),
  /** TLS handshake or protocol failure. */
  TLS("tls"),
  /**
   * The client's own queue for the destination was full (should not happen: it is sized to
   * --max-in-flight).
   */
  CLIENT_QUEUE_FULL("client_queue_full"),
  /** The run stopped before the response arrived. */
  ABORTED("aborted"),
  /** HTTP status 400..499. */
  HTTP_4XX("http_4xx"),
  /** HTTP status 500..599. */
  HTTP_5XX("http_5xx"),
  /** Anything not recognised above. */
  OTHER("other");

  private final String key;

  ErrorKind(String key) {
    this.key = key;
  }

  /** The JSON key and label value, e.g. {@code connect_refused}. */
  public String key() {
    return key;
  }

  /** Classifies a transport failure by walking its causes. */
  public static ErrorKind classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return msg.contains("timed out") || msg.contains("timeout")
            ? CONNECT_TIMEOUT
            : CONNECT_REFUSED;
      }
      if (t instanceof UnknownHostException) {
        return UNKNOWN_HOST;
      }
      if (t instanceof SSLException) {
        return TLS;
      }
      if (t instanceof SocketTimeoutException) {
        return msg.contains("connect") ? CONNECT_TIMEOUT : TIMEOUT;
      }
      if (t instanceof TimeoutException) {
        return msg.contains("connect") ? CONNECT_TIMEOUT : TIMEOUT;
      }
      if (t instanceof RejectedExecutionException && msg.contains("max requests queued")) {
        return CLIENT_QUEUE_FULL;
      }
      if (msg.contains("max requests queued")) {
        return CLIENT_QUEUE_FULL;
      }
      if (t instanceof EOFException || t instanceof ClosedChannelException) {
        return RESET;
      }
      if (t instanceof IOException
          && (msg.contains("reset") || msg.contains("broken pipe") || msg.contains("closed"))) {
        return RESET;
      }
    }
    return OTHER;
  }

  /** The error kind of an HTTP status, or null when the status counts as ok (below 400). */
  public static ErrorKind ofStatus(int status) {
    if (status >= 500) {
      return HTTP_5XX;
    }
    if (status >= 400) {
      return HTTP_4XX;
    }
    return null;
  }
}
