package dev.surge.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.app.metrics.RequestMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One request being answered: the Jetty request, response and completion callback, plus the route's
 * path parameter. Endpoints read input and send exactly one JSON answer through it.
 *
 * <p>With request metrics on, the exchange is also the completion callback it hands Jetty: when the
 * response completes, however it completes, it records the request (route, method, final status,
 * and the duration since Jetty began reading the request, {@link Request#getBeginNanoTime()}) and
 * then completes Jetty's callback. So instrumenting a request allocates nothing beyond the exchange
 * every request has, and reads the clock once. With {@link RequestMetrics#OFF} it hands Jetty's own
 * callback through and is never called back.
 *
 * <p>One request's exchange is used by the threads that serve that request, one at a time (Jetty
 * orders the handler and the callback), so it needs no lock.
 */
public final class Exchange implements Callback {
  private static final String JSON = "application/json";

  private final Request request;
  private final Response response;
  private final Callback jettyCallback;
  private final Callback callback; // this when recording, else jettyCallback
  private final String pathParam;
  private final int maxBodyBytes;
  private final RequestMetrics metrics;
  private final int routeIndex;
  private final int methodIndex;
  private Fields query;
  private boolean bodyRead;

  Exchange(
      Request request,
      Response response,
      Callback callback,
      String pathParam,
      int maxBodyBytes,
      RequestMetrics metrics,
      int routeIndex,
      int methodIndex) {
    this.request = request;
    this.response = response;
    this.jettyCallback = callback;
    this.callback = metrics == RequestMetrics.OFF ? callback : this;
    this.pathParam = pathParam;
    this.maxBodyBytes = maxBodyBytes;
    this.metrics = metrics;
    this.routeIndex = routeIndex;
    this.methodIndex = methodIndex;
  }

  /** Records the request, then completes Jetty's callback (metrics on only). */
  @Override
  public void succeeded() {
    metrics.record(routeIndex, methodIndex, response.getStatus(), request.getBeginNanoTime());
    jettyCallback.succeeded();
  }

  /** Records the request as Jetty will answer it, then fails Jetty's callback (metrics on only). */
  @Override
  public void failed(Throwable x) {
    // Jetty answers 500 when the response was not committed yet.
    int status = response.isCommitted() ? response.getStatus() : 500;
    metrics.record(routeIndex, methodIndex, status, request.getBeginNanoTime());
    jettyCallback.failed(x);
  }

  /** As Jetty's callback: whether completing it may block. */
  @Override
  public InvocationType getInvocationType() {
    return jettyCallback.getInvocationType();
  }

  /** The value of the route's {@code {...}} segment, or null for routes without one. */
  public String pathParam() {
    return pathParam;
  }

  /** The request header's value, or null. */
  public String requestHeader(String name) {
    return request.getHeaders().get(name);
  }

  /** Sets a response header (before the answer is sent). */
  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** The query parameter's first value, or null. */
  public String query(String name) {
    if (query == null) {
      query = Request.extractQueryParameters(request);
    }
    return query.getValue(name);
  }

  /**
   * Jetty's scheduler: async endpoints complete from it without holding a thread while they wait.
   */
  public Scheduler scheduler() {
    return request.getComponents().getScheduler();
  }

  /**
   * Reads the body as a JSON object, at most {@code --max-body-bytes}.
   *
   * @throws HttpProblem 413 if the body is too large, 400 if it is empty, not JSON or not an object
   */
  public JsonNode readJsonObject() throws IOException {
    byte[] body;
    try (InputStream in = Request.asInputStream(request)) {
      // One byte past the limit is enough to know the body is too large without reading all of it.
      body = in.readNBytes(maxBodyBytes + 1);
    }
    bodyRead = body.length <= maxBodyBytes;
    if (body.length > maxBodyBytes) {
      throw tooLarge("request body is larger than --max-body-bytes (" + maxBodyBytes + ")");
    }
    if (body.length == 0) {
      throw HttpProblem.badRequest("bad json", "request body is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest(
          "bad json", "request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw HttpProblem.badRequest("bad json", "request body must be a JSON object");
    }
    return node;
  }

  static HttpProblem tooLarge(String detail) {
    return new HttpProblem(HttpStatus.PAYLOAD_TOO_LARGE_413, "body too large", detail);
  }

  /** Sends {@code body} as JSON with {@code status} and completes the exchange. */
  public void send(int status, Object body) {
    response.setStatus(status);
    if (HttpStatus.hasNoBody(status) || HttpStatus.isInformational(status)) {
      // 1xx, 204 and 304 must not carry a body.
      response.write(true, null, callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.write(true, ByteBuffer.wrap(Json.bytes(body)), callback);
  }

  /**
   * Sends {@code code} (1xx) as an interim response, then {@code body} with a final 200. Jetty
   * refuses interim codes HTTP/1.1 cannot carry (e.g. 101 without an upgrade); then only the final
   * 200 is sent.
   */
  public void sendInterimThenOk(int code, Object body) {
    try {
      var unused =
          response
              .writeInterim(code, HttpFields.EMPTY)
              .whenComplete((ignored, failure) -> send(200, body));
    } catch (RuntimeException e) {
      send(200, body);
    }
  }

  /**
   * Sends pre-encoded JSON with {@code status}: for constant bodies on hot paths (probes), which
   * then need no serialization, and whose first answer does not wait for the JSON mapper to
   * initialize.
   */
  public void sendJson(int status, byte[] json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.write(true, ByteBuffer.wrap(json), callback);
  }

  /**
   * Sends the problem's status and {@code {"error", "detail"}} body. A refusal sent before the
   * request's body was read (a 401/403 on an admin PUT, a 413) closes the connection and says so
   * ({@code Connection: close}, RFC 9112 section 9.6): otherwise the client may send its next
   * request on a connection Jetty closes once it sees the unread body.
   */
  public void send(HttpProblem problem) {
    if (!bodyRead && hasBody()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    send(problem.status(), Json.error(problem.error(), problem.detail()));
  }

  private boolean hasBody() {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  Response response() {
    return response;
  }

  Callback callback() {
    return callback;
  }
}
