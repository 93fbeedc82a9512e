package dev.surge.lab.fault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.hpa.ManifestDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario file: the run's faults as YAML.
 *
 * <pre>
 * faults:
 *   - {at: 30s, fault: error-rate, value: 0.5, for: 60s}
 *   - {at: 100s, fault: pod-kill}
 * </pre>
 */
public final class Scenario {
  private Scenario() {}

  /**
   * The faults of {@code file}.
   *
   * @throws IllegalArgumentException naming the entry that is wrong (the caller names the flag)
   */
  public static List<Fault> read(Path file) {
    JsonNode root;
    try {
      root = ManifestDocuments.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.path("faults").isArray()) {
      throw new IllegalArgumentException("expected a list under 'faults:'");
    }
    List<Fault> faults = new ArrayList<>();
    int i = 0;
    for (JsonNode entry : root.path("faults")) {
      try {
        faults.add(Fault.of(entry));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("faults[" + i + "]: " + e.getMessage(), e);
      }
      i++;
    }
    return faults;
  }
}
