package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.ui.LiveView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class UiOptionsTest {
  @Test
  void withoutUiTheViewIsTheDoNothingOneAndNothingIsPrinted() {
    StringWriter out = new StringWriter();
    LiveView v = new UiOptions().open(new PrintWriter(out));
    assertThat(v).isSameAs(LiveView.off());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void servesOnTheLoopbackAndPrintsTheUrl() {
    UiOptions o = new UiOptions();
    o.ui = true;
    StringWriter out = new StringWriter();
    try (LiveView v = o.open(new PrintWriter(out))) {
      assertThat(v.url()).startsWith("http://127.0.0.1:").endsWith("/");
      assertThat(out.toString()).startsWith("ui       " + v.url());
    }
  }

  @Test
  void aPortInUseIsAUsageErrorNamingUiPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      UiOptions o = new UiOptions();
      o.ui = true;
      o.port = taken.getLocalPort();
      assertThatThrownBy(() -> o.open(new PrintWriter(new StringWriter())))
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith(
              "--ui-port " + taken.getLocalPort() + ": cannot listen on 127.0.0.1:");
    }
  }

  @Test
  void aPortInUseExitsTwoFromTheCommandWithoutAStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Result r =
          Cli.run(
              "run",
              "--url",
              "http://127.0.0.1:1/",
              "--rate",
              "1",
              "--duration",
              "1s",
              "--ui",
              "--ui-port",
              String.valueOf(taken.getLocalPort()));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--ui-port " + taken.getLocalPort()).doesNotContain("\tat ");
    }
  }

  @Test
  void uiPortOrUiOpenWithoutUiIsAUsageError() {
    UiOptions o = new UiOptions();
    o.port = 8089;
    assertThatThrownBy(() -> o.open(new PrintWriter(new StringWriter())))
        .hasMessage("--ui-port 8089: needs --ui");
    UiOptions p = new UiOptions();
    p.open = true;
    assertThatThrownBy(() -> p.open(new PrintWriter(new StringWriter())))
        .hasMessage("--ui-open: needs --ui");
  }
}
