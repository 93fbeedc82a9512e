package dev.surge.app.http;

import dev.surge.app.metrics.Metrics.AdminAuthOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Guards the mutating admin endpoints with a bearer token ({@code --admin-token-file}): a request
 * without {@code Authorization: Bearer <token>} or with another token gets 401, a JSON error body
 * and {@code WWW-Authenticate: Bearer realm="surge-admin"}. Each check is counted by outcome; the
 * token itself is never logged, echoed or exposed.
 *
 * <pre>{@code
 * AdminAuth auth = AdminAuth.withToken(token, metrics::adminAuth); // or AdminAuth.open()
 * router.route("PUT", "/admin/faults", auth.guard(faults.put()));
 * }</pre>
 *
 * <p>The comparison is of SHA-256 digests with {@link MessageDigest#isEqual}: constant time, and
 * the same length whatever a client sends, so timing says nothing about the token or its length.
 * Immutable; safe from any thread.
 */
public final class AdminAuth {
  static final String CHALLENGE = "Bearer realm=\"surge-admin\"";
  private static final String BEARER = "bearer ";

  private final byte[] tokenDigest;
  private final String lockedDetail;
  private final Consumer<AdminAuthOutcome> outcomes;

  private AdminAuth(byte[] tokenDigest, String lockedDetail, Consumer<AdminAuthOutcome> outcomes) {
    this.tokenDigest = tokenDigest;
    this.lockedDetail = lockedDetail;
    this.outcomes = outcomes;
  }

  /** No token configured: guarded endpoints answer anyone, as before the flag existed. */
  public static AdminAuth open() {
    return new AdminAuth(null, null, outcome -> {});
  }

  /**
   * A token file is configured but absent: guarded endpoints refuse everyone with 403 {@code
   * {"error":"admin locked","detail":<detail>}}, counted as {@code locked}.
   */
  public static AdminAuth locked(String detail, Consumer<AdminAuthOutcome> outcomes) {
    return new AdminAuth(null, detail, outcomes);
  }

  /**
   * Requires {@code token}; every check is reported to {@code outcomes}.
   *
   * @throws IllegalArgumentException if the token is empty
   */
  public static AdminAuth withToken(String token, Consumer<AdminAuthOutcome> outcomes) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("an admin token must not be empty");
    }
    return new AdminAuth(sha256(token), null, outcomes);
  }

  /** Whether a token is required. */
  public boolean isRequired() {
    return tokenDigest != null || lockedDetail != null;
  }

  /** {@code endpoint}, answering 401 unless the request carries the token (403 when locked). */
  public Endpoint guard(Endpoint endpoint) {
    if (lockedDetail != null) {
      return exchange -> {
        outcomes.accept(AdminAuthOutcome.LOCKED);
        throw new HttpProblem(HttpStatus.FORBIDDEN_403, "admin locked", lockedDetail);
      };
    }
    if (tokenDigest == null) {
      return endpoint;
    }
    return exchange -> {
      check(exchange.requestHeader(HttpHeader.AUTHORIZATION.asString()), exchange);
      endpoint.handle(exchange);
    };
  }

  private void check(String authorization, Exchange exchange) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      outcomes.accept(AdminAuthOutcome.MISSING);
      throw unauthorized(exchange, "missing token", "send Authorization: Bearer <admin token>");
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
    if (!MessageDigest.isEqual(tokenDigest, presented)) {
      outcomes.accept(AdminAuthOutcome.WRONG);
      // The detail must not echo what the client sent: it may be a near miss of the real token.
      throw unauthorized(exchange, "wrong token", "the bearer token is not the admin token");
    }
    outcomes.accept(AdminAuthOutcome.ALLOWED);
  }

  private static HttpProblem unauthorized(Exchange exchange, String error, String detail) {
    exchange.header(HttpHeader.WWW_AUTHENTICATE.asString(), CHALLENGE);
    return new HttpProblem(HttpStatus.UNAUTHORIZED_401, error, detail);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
