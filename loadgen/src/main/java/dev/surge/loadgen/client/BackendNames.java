package dev.surge.loadgen.client;

import dev.surge.loadgen.record.RunRecorder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the bytes of an {@value LoadClient#INSTANCE_HEADER} value into a String once per distinct
 * name, so that counting responses by backend allocates nothing per response. Bounded like the
 * recorder's map: after {@link RunRecorder#MAX_BACKENDS} names, new ones are {@link
 * RunRecorder#OTHER_BACKEND}. One per event loop (not thread-safe).
 */
final class BackendNames {
  private static final int SLOTS = 1024; // a power of two, over 2 × MAX_BACKENDS: short probes

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] names = new String[SLOTS];
  private int size;

  /** The name for the first {@code length} bytes, or null when there are none. */
  String name(byte[] b, int length) {
    if (length == 0) {
      return null;
    }
    int h = 0x811c9dc5;
    for (int i = 0; i < length; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    for (int s = h & (SLOTS - 1); ; s = (s + 1) & (SLOTS - 1)) {
      byte[] k = keys[s];
      if (k == null) {
        if (size >= RunRecorder.MAX_BACKENDS) {
          return RunRecorder.OTHER_BACKEND;
        }
        keys[s] = Arrays.copyOf(b, length);
        names[s] = new String(b, 0, length, StandardCharsets.ISO_8859_1);
        size++;
        return names[s];
      }
      if (k.length == length && Arrays.equals(k, 0, length, b, 0, length)) {
        return names[s];
      }
    }
  }
}
