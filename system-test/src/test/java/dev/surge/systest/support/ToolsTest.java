package dev.surge.systest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
  @Test
  void requireFailsNamingTheInstallScriptAndPackageWhenAToolIsMissing() {
    assertThatThrownBy(() -> Tools.require("surge-no-such-tool", "surge-pkg"))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "surge-no-such-tool not found on PATH: run ./bin/install-test-tools (Debian package surge-pkg)");
  }

  @Test
  void runReportsExitCodeAndBothStreams() {
    Tools.Result r =
        Tools.run(
            List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"),
            java.nio.file.Path.of("."),
            java.util.Map.of(),
            Tools.DEFAULT_TIMEOUT);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }
}
