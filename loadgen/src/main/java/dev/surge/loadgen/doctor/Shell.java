package dev.surge.loadgen.doctor;

import java.util.regex.Pattern;

/** Quoting for the fix commands the doctor prints, so that they paste into a POSIX shell as is. */
final class Shell {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

  private Shell() {}

  /** {@code s} as one shell word: bare when safe, else in single quotes. */
  static String quote(String s) {
    if (SAFE.matcher(s).matches()) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
