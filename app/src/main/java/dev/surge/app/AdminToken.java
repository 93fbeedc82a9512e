package dev.surge.app;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin bearer token read from {@code --admin-token-file}, none, or locked (the flag names a
 * file that does not exist). Its {@code toString} never shows the token, so a config printed or
 * logged by mistake does not leak it.
 *
 * <p>Locked fails closed: the mutating admin endpoints refuse every request until the file exists
 * and the app restarts. That is what a Kubernetes pod sees when its optional Secret volume has no
 * Secret yet (k8s/components/admin-token), so the pod starts without a hand-made Secret and its
 * admin endpoints are still closed.
 */
public final class AdminToken {
  private static final AdminToken NONE = new AdminToken(null, null);

  private final String value;
  private final Path lockedBy;

  private AdminToken(String value, Path lockedBy) {
    this.value = value;
    this.lockedBy = lockedBy;
  }

  /** No token: the admin endpoints answer anyone who reaches the port. */
  public static AdminToken none() {
    return NONE;
  }

  /**
   * Reads the token: the file's text without leading and trailing white space (a trailing newline
   * from {@code echo} or an editor is not part of the token). A file that does not exist gives a
   * locked token ({@link #isLocked()}).
   *
   * @throws IllegalArgumentException saying what is wrong with an existing file (unreadable, empty,
   *     not one token), never its content
   */
  public static AdminToken read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return new AdminToken(null, file);
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
    return new AdminToken(text, null);
  }

  public boolean isSet() {
    return value != null;
  }

  /** Whether {@code --admin-token-file} names a file that does not exist: admin fails closed. */
  public boolean isLocked() {
    return lockedBy != null;
  }

  /** The absent file of a locked token. */
  public Optional<Path> lockedBy() {
    return Optional.ofNullable(lockedBy);
  }

  /** The token; only the admin guard reads it. */
  String value() {
    return value;
  }

  @Override
  public String toString() {
    if (lockedBy != null) {
      return "AdminToken[locked]";
    }
    return value == null ? "AdminToken[none]" : "AdminToken[set]";
  }
}
