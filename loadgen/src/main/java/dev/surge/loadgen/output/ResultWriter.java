package dev.surge.loadgen.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes and reads the result file ({@code --out}) as pretty JSON. */
public final class ResultWriter {
  /**
   * The mapper used for result files; unknown keys (e.g. {@code scaling} added by {@code report})
   * are ignored.
   */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ResultWriter() {}

  /** Writes the result atomically (temp file, then move) so a reader never sees half a file. */
  public static void write(RunResult result, Path path) {
    try {
      Path abs = path.toAbsolutePath();
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), result);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write result file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a result file.
   *
   * @throws IllegalArgumentException naming the file when it is missing or not a result
   */
  public static RunResult read(Path path) {
    try {
      RunResult r = JSON.readValue(path.toFile(), RunResult.class);
      if (r.summary() == null) {
        throw new IllegalArgumentException(path + " is not a surge-loadgen result (no summary)");
      }
      return r;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read result file " + path + ": " + e.getMessage(), e);
    }
  }
}
