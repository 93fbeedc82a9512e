package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.testing.Cli;
import dev.surge.loadgen.ui.LiveView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void uiOpenWithoutABrowserSaysSoAndStillServesThePage(@TempDir Path empty) throws Exception {
    UiOptions o = new UiOptions();
    o.ui = true;
    o.open = true;
    o.searchPath = empty.toString(); // no xdg-open, no open: a server, a container
    StringWriter out = new StringWriter();
    try (LiveView v = o.open(new PrintWriter(out))) {
      assertThat(out.toString())
          .startsWith("ui       " + v.url())
          .contains("ui       no browser opener here (xdg-open): open " + v.url() + " yourself");
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(v.url())).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("surgeUi");
    }
  }

  @Test
  void uiOpenRunsTheDesktopsOpenerWithTheUrl(@TempDir Path dir) throws Exception {
    Path opened = dir.resolve("opened.txt");
    Path opener = dir.resolve("xdg-open");
    Files.writeString(opener, "#!/bin/sh\necho \"$1\" > '" + opened + "'\n");
    assertThat(opener.toFile().setExecutable(true)).isTrue();
    UiOptions o = new UiOptions();
    o.ui = true;
    o.open = true;
    o.searchPath = dir.toString();
    StringWriter out = new StringWriter();
    try (LiveView v = o.open(new PrintWriter(out))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(opened) && Files.readString(opened).contains("\n"));
      assertThat(Files.readString(opened).trim()).isEqualTo(v.url());
      assertThat(out.toString()).doesNotContain("no browser opener");
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
