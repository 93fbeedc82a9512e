package dev.surge.systest.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.systest.support.Commands;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script under {@code bin/} and {@code bench/} (a {@code .sh} name or a {@code sh}/
 * {@code bash} shebang) passes Debian's {@code shellcheck} with its default checks.
 */
class ShellcheckIT {
  @Test
  void everyScriptUnderBinAndBenchIsShellcheckClean() throws IOException {
    Path shellcheck = Tools.require("shellcheck", "shellcheck");
    List<Path> scripts = new ArrayList<>();
    for (String dir : List.of("bin", "bench")) {
      try (Stream<Path> files = Files.walk(RepoPaths.resolve(dir))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          if (isShellScript(file)) {
            scripts.add(file);
          }
        }
      }
    }
    assertThat(scripts)
        .as("scripts found")
        .contains(RepoPaths.resolve("bin/kind-up"), RepoPaths.resolve("bin/install-test-tools"));
    List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--external-sources"));
    scripts.forEach(s -> command.add(RepoPaths.root().relativize(s).toString()));
    Commands.Result r = Commands.run(command, RepoPaths.root(), Map.of(), Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }

  private static boolean isShellScript(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".sh")) {
      return true;
    }
    try (var in = Files.newInputStream(file)) {
      String head = new String(in.readNBytes(64), StandardCharsets.UTF_8);
      return head.startsWith("#!")
          && head.lines().findFirst().orElse("").matches("#!.*\\b(ba)?sh\\b.*");
    }
  }
}
