package dev.surge.app.http;

/**
 * A request the app refuses, with the status and the JSON body {@code {"error": ..., "detail":
 * ...}} to answer it with. Thrown by endpoints at the boundary; {@link AppHandler} turns it into
 * the response.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  /**
   * @param status the HTTP status, 4xx or 5xx
   * @param error a short, fixed description (e.g. {@code "bad parameter"})
   * @param detail what exactly was wrong, naming the parameter and the value
   */
  public HttpProblem(int status, String error, String detail) {
    super(detail, null, false, false); // no stack trace: this is an answer, not a failure
    this.status = status;
    this.error = error;
  }

  public static HttpProblem badRequest(String error, String detail) {
    return new HttpProblem(400, error, detail);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String detail() {
    return getMessage();
  }
}
