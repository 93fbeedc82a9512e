package dev.surge.loadgen.client;

/**
 * A minimal, allocation-free HTTP/1.1 response parser for the lean transport: it reads the status
 * line, the headers that decide where the response ends ({@code Content-Length}, {@code
 * Transfer-Encoding: chunked}, {@code Connection}) and the {@value LoadClient#INSTANCE_HEADER}
 * header, and skips bodies without copying them. Interim 1xx responses are skipped; HEAD, 204 and
 * 304 responses have no body; a response with neither length nor chunking ends when the server
 * closes the connection. The input may be split anywhere: state is kept byte by byte.
 *
 * <p>One instance per connection, used by its event-loop thread only (not thread-safe).
 *
 * <pre>{@code
 * p.reset(false);
 * int used = p.feed(bytes, 0, n); // throws BadResponse on a malformed response
 * if (p.complete()) { record(p.status(), p.keepAlive()); }
 * }</pre>
 */
final class ResponseParser {
  /** A response that does not follow HTTP/1.1; the connection cannot be reused. */
  static final class BadResponse extends Exception {
    private static final long serialVersionUID = 1L;

    BadResponse(String message) {
      super(message);
    }
  }

  /** Longest backend name kept; longer values are cut (the recorder bounds the names anyway). */
  static final int MAX_BACKEND = 128;

  private static final int MAX_NAME = 32;
  private static final int MAX_VALUE = 256;
  private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', '1', '.'};
  private static final byte[] CONTENT_LENGTH = lower("content-length");
  private static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");
  private static final byte[] CONNECTION = lower("connection");
  private static final byte[] INSTANCE = lower(LoadClient.INSTANCE_HEADER);

  // States.
  private static final int VERSION_BYTES = 0;
  private static final int MINOR = 1;
  private static final int SP = 2;
  private static final int CODE = 3;
  private static final int AFTER_CODE = 4;
  private static final int REASON = 5;
  private static final int LINE_START = 6;
  private static final int NAME = 7;
  private static final int VALUE_WS = 8;
  private static final int VALUE = 9;
  private static final int HEADERS_LF = 10;
  private static final int FOLD = 11;
  private static final int BODY_LENGTH = 12;
  private static final int BODY_TO_EOF = 13;
  private static final int CHUNK_SIZE = 14;
  private static final int CHUNK_EXT = 15;
  private static final int CHUNK_SIZE_LF = 16;
  private static final int CHUNK_DATA = 17;
  private static final int CHUNK_DATA_CR = 18;
  private static final int CHUNK_DATA_LF = 19;
  private static final int TRAILER_START = 20;
  private static final int TRAILER_LINE = 21;
  private static final int TRAILER_LF = 22;
  private static final int DONE = 23;

  // Header ids.
  private static final int OTHER = 0;
  private static final int H_CONTENT_LENGTH = 1;
  private static final int H_TRANSFER_ENCODING = 2;
  private static final int H_CONNECTION = 3;
  private static final int H_INSTANCE = 4;

  private final byte[] name = new byte[MAX_NAME];
  private final byte[] value = new byte[MAX_VALUE];
  private final byte[] backend = new byte[MAX_BACKEND];

  private boolean head;
  private int state;
  private int index;
  private boolean http10;
  private int status;
  private int nameLength;
  private int valueLength;
  private int header;
  private long contentLength;
  private boolean chunked;
  private boolean close;
  private boolean keepAliveHeader;
  private int backendLength;
  private long remaining;
  private boolean sizeDigits;
  private boolean started;

  /** Prepares for the response to a new request; {@code head}: the request was a HEAD. */
  void reset(boolean head) {
    this.head = head;
    this.started = false;
    startResponse();
  }

  private void startResponse() {
    state = VERSION_BYTES;
    index = 0;
    http10 = false;
    status = 0;
    contentLength = -1;
    chunked = false;
    close = false;
    keepAliveHeader = false;
    remaining = 0;
    backendLength = 0;
  }

  /** Whether any byte of the response has arrived. */
  boolean started() {
    return started;
  }

  /** Whether the whole response has been read. */
  boolean complete() {
    return state == DONE;
  }

  /** The final status code (valid once {@link #complete}). */
  int status() {
    return status;
  }

  /** Whether the connection may carry another request after this response. */
  boolean keepAlive() {
    return !close && (!http10 || keepAliveHeader) && state == DONE && status != 101;
  }

  /** The {@value LoadClient#INSTANCE_HEADER} bytes; {@link #backendLength} of them are valid. */
  byte[] backend() {
    return backend;
  }

  /** Length of the backend name, 0 when the header was absent. */
  int backendLength() {
    return backendLength;
  }

  /**
   * The peer closed the connection. Completes a response whose body runs to the end of the
   * connection.
   *
   * @return whether the response is now complete
   */
  boolean endOfInput() {
    if (state == BODY_TO_EOF) {
      state = DONE;
      close = true;
    }
    return state == DONE;
  }

  /**
   * Parses bytes of the response; stops at its end.
   *
   * @return how many bytes were used; fewer than {@code length} only when the response completed
   * @throws BadResponse when the bytes are not an HTTP/1.x response
   */
  int feed(byte[] b, int offset, int length) throws BadResponse {
    int i = offset;
    int end = offset + length;
    if (length > 0) {
      started = true;
    }
    while (i < end && state != DONE) {
      switch (state) {
        case BODY_LENGTH, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            state = state == BODY_LENGTH ? DONE : CHUNK_DATA_CR;
          }
        }
        case BODY_TO_EOF -> i = end;
        // The bytes nothing is read from (the reason phrase, most header values, folded lines)
        // and header names are scanned here in a loop, not a byte at a time through step: a
        // response's header bytes are mostly these, and step is too large for C2 to inline.
        case REASON, FOLD -> i = skipLine(b, i, end);
        case VALUE -> i = header == OTHER ? skipLine(b, i, end) : valueByte(b, i);
        case NAME -> i = name(b, i, end);
        default -> step(b[i++]);
      }
    }
    return i - offset;
  }

  /**
   * Skips to the end of the line: from {@code i} to just past its LF ({@code state} is then {@link
   * #LINE_START}), or to {@code end} when the LF has not arrived yet. The rule of {@link #step} for
   * {@link #REASON}, {@link #FOLD} and a {@link #VALUE} of a header that is not read.
   */
  private int skipLine(byte[] b, int i, int end) {
    for (; i < end; i++) {
      if (b[i] == '\n') {
        header = OTHER;
        state = LINE_START;
        return i + 1;
      }
    }
    return end;
  }

  private int valueByte(byte[] b, int i) throws BadResponse {
    value(b[i]);
    return i + 1;
  }

  /** A header name's bytes from {@code i}: up to and past its colon, or to {@code end}. */
  private int name(byte[] b, int i, int end) throws BadResponse {
    for (; i < end; i++) {
      byte c = b[i];
      if (c == ':') {
        nameDone();
        return i + 1;
      }
      if (c == '\r' || c == '\n') {
        throw new BadResponse("malformed header line");
      }
      appendName(c);
    }
    return end;
  }

  private void nameDone() {
    header = headerId();
    valueLength = 0;
    if (header == H_CONTENT_LENGTH) {
      contentLength = 0;
    }
    state = VALUE_WS;
  }

  private void step(byte c) throws BadResponse {
    switch (state) {
      case VERSION_BYTES -> {
        if (c != VERSION[index]) {
          throw new BadResponse("malformed status line");
        }
        if (++index == VERSION.length) {
          state = MINOR;
        }
      }
      case MINOR -> {
        if (c != '0' && c != '1') {
          throw new BadResponse("unsupported HTTP version");
        }
        http10 = c == '0';
        state = SP;
      }
      case SP -> {
        if (c != ' ') {
          throw new BadResponse("malformed status line");
        }
        state = CODE;
        index = 0;
      }
      case CODE -> {
        if (c < '0' || c > '9') {
          throw new BadResponse("malformed status code");
        }
        status = status * 10 + (c - '0');
        if (++index == 3) {
          state = AFTER_CODE;
        }
      }
      case AFTER_CODE -> {
        if (status < 100) {
          throw new BadResponse("malformed status code");
        }
        if (c == '\n') {
          state = LINE_START;
        } else if (c == ' ' || c == '\r') {
          state = REASON;
        } else {
          throw new BadResponse("malformed status line");
        }
      }

      case LINE_START -> {
        if (c == '\r') {
          state = HEADERS_LF;
        } else if (c == '\n') {
          headersDone();
        } else if (c == ' ' || c == '\t') {
          state = FOLD; // an obsolete continuation line: nothing in it matters here
        } else {
          nameLength = 0;
          appendName(c);
          state = NAME;
        }
      }

      case VALUE_WS -> {
        if (c != ' ' && c != '\t') {
          state = VALUE;
          value(c);
        }
      }

      case HEADERS_LF -> {
        if (c != '\n') {
          throw new BadResponse("malformed end of headers");
        }
        headersDone();
      }
      case CHUNK_SIZE -> chunkSize(c);
      case CHUNK_EXT -> {
        if (c == '\n') {
          chunkSizeDone();
        }
      }
      case CHUNK_SIZE_LF -> {
        if (c != '\n') {
          throw new BadResponse("malformed chunk size");
        }
        chunkSizeDone();
      }
      case CHUNK_DATA_CR -> {
        if (c == '\r') {
          state = CHUNK_DATA_LF;
        } else if (c == '\n') {
          beginChunk();
        } else {
          throw new BadResponse("malformed chunk end");
        }
      }
      case CHUNK_DATA_LF -> {
        if (c != '\n') {
          throw new BadResponse("malformed chunk end");
        }
        beginChunk();
      }
      case TRAILER_START -> {
        if (c == '\r') {
          state = TRAILER_LF;
        } else if (c == '\n') {
          state = DONE;
        } else {
          state = TRAILER_LINE;
        }
      }
      case TRAILER_LINE -> {
        if (c == '\n') {
          state = TRAILER_START;
        }
      }
      case TRAILER_LF -> {
        if (c != '\n') {
          throw new BadResponse("malformed trailer");
        }
        state = DONE;
      }
      default -> throw new IllegalStateException("parser state " + state);
    }
  }

  private void appendName(byte c) {
    if (nameLength < MAX_NAME) {
      name[nameLength] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    nameLength++;
  }

  private int headerId() {
    if (matches(CONTENT_LENGTH)) {
      return H_CONTENT_LENGTH;
    }
    if (matches(TRANSFER_ENCODING)) {
      return H_TRANSFER_ENCODING;
    }
    if (matches(CONNECTION)) {
      return H_CONNECTION;
    }
    if (matches(INSTANCE)) {
      return H_INSTANCE;
    }
    return OTHER;
  }

  private boolean matches(byte[] lowerName) {
    if (nameLength != lowerName.length) {
      return false;
    }
    for (int i = 0; i < nameLength; i++) {
      if (name[i] != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  private void value(byte c) throws BadResponse {
    if (c == '\n') {
      headerDone();
      state = LINE_START;
      return;
    }
    if (c == '\r') {
      return;
    }
    switch (header) {
      case H_CONTENT_LENGTH -> {
        if (c == ' ' || c == '\t') {
          return; // trailing white space
        }
        if (c < '0' || c > '9' || contentLength > Long.MAX_VALUE / 100) {
          throw new BadResponse("malformed Content-Length");
        }
        contentLength = contentLength * 10 + (c - '0');
      }
      case H_INSTANCE -> {
        if (valueLength < MAX_BACKEND) {
          backend[valueLength++] = c;
        }
      }
      case H_TRANSFER_ENCODING, H_CONNECTION -> {
        if (valueLength < MAX_VALUE) {
          value[valueLength++] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
      }
      default -> {}
    }
  }

  private void headerDone() {
    switch (header) {
      case H_INSTANCE -> {
        int n = valueLength;
        while (n > 0 && (backend[n - 1] == ' ' || backend[n - 1] == '\t')) {
          n--;
        }
        backendLength = n;
      }
      case H_TRANSFER_ENCODING -> chunked = endsWithToken("chunked");
      case H_CONNECTION -> {
        close |= containsToken("close");
        keepAliveHeader |= containsToken("keep-alive");
      }
      default -> {}
    }
    header = OTHER;
  }

  private boolean endsWithToken(String token) {
    int n = valueLength;
    while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t')) {
      n--;
    }
    int start = n - token.length();
    if (start < 0) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      if (value[start + i] != token.charAt(i)) {
        return false;
      }
    }
    return start == 0 || value[start - 1] == ',' || value[start - 1] == ' ';
  }

  private boolean containsToken(String token) {
    outer:
    for (int s = 0; s + token.length() <= valueLength; s++) {
      for (int i = 0; i < token.length(); i++) {
        if (value[s + i] != token.charAt(i)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void headersDone() {
    if (status >= 100 && status < 200 && status != 101) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      startResponse();
      return;
    }
    if (head || status == 204 || status == 304 || status == 101) {
      state = DONE;
    } else if (chunked) {
      beginChunk();
    } else if (contentLength >= 0) {
      remaining = contentLength;
      state = contentLength == 0 ? DONE : BODY_LENGTH;
    } else {
      state = BODY_TO_EOF;
    }
  }

  private void beginChunk() {
    state = CHUNK_SIZE;
    remaining = 0;
    sizeDigits = false;
  }

  private void chunkSize(byte c) throws BadResponse {
    int d = Character.digit(c, 16);
    if (d >= 0) {
      if (remaining > (Long.MAX_VALUE >> 5)) {
        throw new BadResponse("chunk too large");
      }
      remaining = remaining * 16 + d;
      sizeDigits = true;
    } else if (!sizeDigits) {
      throw new BadResponse("malformed chunk size");
    } else if (c == ';' || c == ' ' || c == '\t') {
      state = CHUNK_EXT;
    } else if (c == '\r') {
      state = CHUNK_SIZE_LF;
    } else if (c == '\n') {
      chunkSizeDone();
    } else {
      throw new BadResponse("malformed chunk size");
    }
  }

  private void chunkSizeDone() {
    state = remaining == 0 ? TRAILER_START : CHUNK_DATA;
  }

  private static byte[] lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
