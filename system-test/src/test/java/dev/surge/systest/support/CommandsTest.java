package dev.surge.systest.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
  @Test
  void runReportsExitCodeAndBothStreams() {
    Commands.Result r =
        Commands.run(
            List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"),
            java.nio.file.Path.of("."),
            java.util.Map.of(),
            Commands.DEFAULT_TIMEOUT);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }
}
