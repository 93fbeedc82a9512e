package dev.surge.app.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses (malformed requests, shutdown rejections, failures outside the app's
 * handler) as the app's JSON {@code {"error", "detail"}} body, never an HTML page or a stack trace.
 */
public final class JsonErrorHandler implements Request.Handler {
  private final String instance;

  public JsonErrorHandler(String instance) {
    this.instance = instance;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
      if (message == null) {
        message = http.getReason();
      }
    }
    response.getHeaders().put(AppHandler.INSTANCE_HEADER, instance);
    if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    String error = HttpStatus.getMessage(status).toLowerCase(Locale.ROOT);
    String detail = message == null ? error : AppHandler.printable(message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.bytes(Json.error(error, detail))), callback);
    return true;
  }
}
