package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportTest {
  private static final List<URI> PLAIN = List.of(URI.create("http://127.0.0.1:8080/a"));
  private static final List<URI> MIXED =
      List.of(URI.create("http://127.0.0.1:8080/a"), URI.create("https://example.test/b"));

  @Test
  void autoPicksLeanForPlainHttp11AndJettyOtherwise() {
    assertThat(Transport.AUTO.resolve(false, PLAIN)).isEqualTo(Transport.LEAN);
    assertThat(Transport.AUTO.resolve(true, PLAIN)).isEqualTo(Transport.JETTY);
    assertThat(Transport.AUTO.resolve(false, MIXED)).isEqualTo(Transport.JETTY);
    assertThat(Transport.JETTY.resolve(false, PLAIN)).isEqualTo(Transport.JETTY);
  }

  @Test
  void autoNeverPicksLeanForAnHttpsTargetOrWhenNoTargetIsKnown() {
    assertThat(Transport.AUTO.resolve(false, List.of(URI.create("https://127.0.0.1:8443/"))))
        .isEqualTo(Transport.JETTY);
    assertThat(Transport.AUTO.resolve(false, List.of())).isEqualTo(Transport.JETTY);
    assertThat(Transport.LEAN.resolve(false, List.of())).isEqualTo(Transport.LEAN);
  }

  @Test
  void leanRefusesWhatItCannotSpeak() {
    assertThatThrownBy(() -> Transport.LEAN.resolve(false, MIXED))
        .hasMessage(
            "'lean' speaks plain http:// only, got https://example.test/b (use --transport jetty"
                + " or auto)");
    assertThatThrownBy(() -> Transport.LEAN.resolve(true, PLAIN))
        .hasMessage("'lean' speaks HTTP/1.1 only: use --transport jetty (or auto) with --http2");
  }

  @Test
  void parsesFlagValues() {
    assertThat(Transport.parse(" Lean ")).isEqualTo(Transport.LEAN);
    assertThatThrownBy(() -> Transport.parse("fast"))
        .hasMessage("'fast' is not a transport (auto, lean or jetty)");
  }
}
