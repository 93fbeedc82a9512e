package dev.surge.app.http;

import dev.surge.app.Lifecycle;
import dev.surge.app.fault.FaultSettings;
import dev.surge.app.fault.Faults;
import dev.surge.app.metrics.Metrics;
import dev.surge.app.metrics.RequestMetrics;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's Jetty handler: names the instance on every response, closes connections while draining,
 * routes, instruments, refuses bad requests (404, 405, 413) with JSON, applies the {@code /api/*}
 * faults and runs the endpoint.
 */
public final class AppHandler extends Handler.Abstract {
  /** Response header naming the instance that served the request. */
  public static final String INSTANCE_HEADER = "X-Surge-Instance";

  private static final Logger LOG = LoggerFactory.getLogger(AppHandler.class);

  private final Router router;
  private final RequestMetrics metrics;
  private final Faults faults;
  private final Lifecycle lifecycle;
  private final String instance;
  private final int maxBodyBytes;

  /**
   * @param metrics the request metrics of the router's templates ({@link RequestMetrics#OFF} to run
   *     without per-request instrumentation)
   */
  public AppHandler(
      Router router,
      RequestMetrics metrics,
      Faults faults,
      Lifecycle lifecycle,
      String instance,
      int maxBodyBytes) {
    this.router = router;
    this.metrics = metrics;
    this.faults = faults;
    this.lifecycle = lifecycle;
    this.instance = instance;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    response.getHeaders().put(INSTANCE_HEADER, instance);
    if (lifecycle.isShuttingDown()) {
      // Keep-alive clients reconnect, and the new connection reaches a pod that is still in the
      // endpoints.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    String method = request.getMethod();
    // The canonical path (decoded, dot segments resolved) so /api/%77ork is /api/work; Jetty has
    // already refused ambiguous forms such as encoded slashes.
    String path = request.getHttpURI().getCanonicalPath();
    Router.Match match = router.match(method, path == null ? "" : path);
    Exchange exchange =
        new Exchange(
            request,
            response,
            callback,
            match.pathParam(),
            maxBodyBytes,
            metrics,
            match.routeIndex(),
            // A method the route does not answer (405, or any unknown path) is OTHER: what matters
            // there is the route and the status, and it bounds the label sets.
            match.endpoint() == null ? Metrics.OTHER_METHOD : methodIndex(method));
    try {
      dispatch(request, match, exchange);
    } catch (Throwable t) {
      fail(exchange, t);
    }
    return true;
  }

  private void dispatch(Request request, Router.Match match, Exchange exchange) throws Exception {
    if (match.isUnmatched()) {
      throw new HttpProblem(
          HttpStatus.NOT_FOUND_404,
          "not found",
          "no route for " + printable(request.getHttpURI().getPath()));
    }
    if (match.endpoint() == null) {
      exchange.response().getHeaders().put(HttpHeader.ALLOW, match.allow());
      throw new HttpProblem(
          HttpStatus.METHOD_NOT_ALLOWED_405,
          "method not allowed",
          match.template()
              + " allows "
              + match.allow()
              + ", not "
              + printable(request.getMethod()));
    }
    long length = request.getLength();
    if (length > maxBodyBytes) {
      throw Exchange.tooLarge(
          "request body of "
              + length
              + " bytes is larger than --max-body-bytes ("
              + maxBodyBytes
              + ")");
    }
    if (match.template().startsWith("/api/")) {
      FaultSettings settings = faults.settings();
      boolean inject = faults.shouldFail();
      Runnable answer = () -> run(match.endpoint(), exchange, inject, settings);
      if (settings.addedLatencyMillis() > 0) {
        // Wait on the scheduler, not on a thread, then answer from the pool (the endpoint may burn
        // CPU).
        exchange
            .scheduler()
            .schedule(
                () -> request.getContext().execute(answer),
                settings.addedLatencyMillis(),
                TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
      return;
    }
    match.endpoint().handle(exchange);
  }

  private void run(Endpoint endpoint, Exchange exchange, boolean inject, FaultSettings settings) {
    try {
      if (inject) {
        throw new HttpProblem(
            HttpStatus.INTERNAL_SERVER_ERROR_500,
            "injected fault",
            "the error-rate fault (" + settings.errorRate() + ") chose this request to fail");
      }
      endpoint.handle(exchange);
    } catch (Throwable t) {
      fail(exchange, t);
    }
  }

  private void fail(Exchange exchange, Throwable t) {
    if (exchange.response().isCommitted()) {
      LOG.warn("failure after the response was committed", t);
      exchange.callback().failed(t);
      return;
    }
    if (t instanceof HttpProblem problem) {
      exchange.send(problem);
      return;
    }
    // A bug, not bad input: log it with its trace for the operator, answer the client without one.
    LOG.error("request failed", t);
    exchange.send(new HttpProblem(500, "internal error", t.getClass().getSimpleName()));
  }

  /** Keeps client-chosen text in an error detail short and free of control characters. */
  static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * The {@code method} label index: a fixed set, so a client cannot create series by inventing
   * methods.
   */
  static int methodIndex(String method) {
    switch (method) {
      case "GET":
        return 0;
      case "HEAD":
        return 1;
      case "POST":
        return 2;
      case "PUT":
        return 3;
      case "DELETE":
        return 4;
      case "PATCH":
        return 5;
      case "OPTIONS":
        return 6;
      default:
        return 7;
    }
  }
}
