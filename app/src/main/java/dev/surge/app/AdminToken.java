package dev.surge.app;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The admin bearer token read from {@code --admin-token-file}, or none. Its {@code toString} never
 * shows the token, so a config printed or logged by mistake does not leak it.
 */
public final class AdminToken {
  private static final AdminToken NONE = new AdminToken(null);

  private final String value;

  private AdminToken(String value) {
    this.value = value;
  }

  /** No token: the admin endpoints answer anyone who reaches the port. */
  public static AdminToken none() {
    return NONE;
  }

  /**
   * Reads the token: the file's text without leading and trailing white space (a trailing newline
   * from {@code echo} or an editor is not part of the token).
   *
   * @throws IllegalArgumentException saying what is wrong with the file (missing, unreadable,
   *     empty), never its content
   */
  public static AdminToken read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file");
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("the file is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the file is empty");
    }
    if (text.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "the token contains white space or control characters (one line, no spaces)");
    }
    return new AdminToken(text);
  }

  public boolean isSet() {
    return value != null;
  }

  /** The token; only the admin guard reads it. */
  String value() {
    return value;
  }

  @Override
  public String toString() {
    return value == null ? "AdminToken[none]" : "AdminToken[set]";
  }
}
