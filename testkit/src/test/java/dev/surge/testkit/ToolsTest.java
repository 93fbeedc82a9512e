package dev.surge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ToolsTest {
  @Test
  void requireFailsNamingTheInstallScriptAndPackageWhenAToolIsMissing() {
    assertThatThrownBy(() -> Tools.require("surge-no-such-tool", "surge-pkg"))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "surge-no-such-tool not found on PATH: run ./bin/install-test-tools (Debian package"
                + " surge-pkg)");
  }

  @Test
  void requireFindsAnExecutableOnThePath() {
    assertThat(Tools.require("sh", "dash"))
        .satisfies(p -> assertThat(Files.isExecutable(p)).isTrue());
    assertThat(Tools.find("surge-no-such-tool")).isEmpty();
  }
}
