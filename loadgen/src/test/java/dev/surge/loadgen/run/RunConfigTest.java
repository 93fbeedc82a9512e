package dev.surge.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunConfigTest {
  private static RunConfig.Builder minimal() {
    return RunConfig.builder()
        .mix(RequestMix.single(RequestTemplate.get("http://127.0.0.1:1/")))
        .profile(RateProfile.constant(10, 5));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RunConfig c = minimal().build();
    assertThat(c.shard()).isEqualTo(ShardSpec.WHOLE);
    assertThat(c.connections()).isEqualTo(32);
    assertThat(c.http2()).isFalse();
    assertThat(c.maxInFlight()).isEqualTo(1024);
    assertThat(c.maxConnectionAgeMillis()).isZero();
    assertThat(c.idleTimeoutMillis()).isEqualTo(10_000);
    assertThat(c.connectTimeoutMillis()).isEqualTo(5_000);
    assertThat(c.requestTimeoutMillis()).isEqualTo(30_000);
    assertThat(c.catchUp()).isEqualTo(CatchUp.BURST);
    assertThat(c.metricsPort()).isEqualTo(RunConfig.METRICS_OFF);
    assertThat(c.pushgateway()).isEmpty();
    assertThat(c.out()).isEmpty();
    assertThat(c.hdrLog()).isEmpty();
    assertThat(c.thresholds().all()).isEmpty();
    assertThat(c.abort().conditions()).isEmpty();
    assertThat(c.progress()).isEqualTo(RunConfig.ProgressMode.AUTO);
    assertThat(c.drainSeconds()).isEqualTo(10.0);
    assertThat(c.described()).isEmpty();
  }

  @Test
  void keepsWhatIsSet() {
    RunConfig c =
        minimal()
            .shard(new ShardSpec(1, 3))
            .connections(4)
            .maxInFlight(9)
            .metricsPort(0)
            .pushgateway(URI.create("http://gw:9091"))
            .out(Path.of("r.json"))
            .hdrLog(Path.of("r.hlog"))
            .progress(RunConfig.ProgressMode.OFF)
            .build();
    assertThat(c.shard()).isEqualTo(new ShardSpec(1, 3));
    assertThat(c.connections()).isEqualTo(4);
    assertThat(c.maxInFlight()).isEqualTo(9);
    assertThat(c.metricsPort()).isZero();
    assertThat(c.pushgateway()).contains(URI.create("http://gw:9091"));
    assertThat(c.out()).contains(Path.of("r.json"));
    assertThat(c.hdrLog()).contains(Path.of("r.hlog"));
    assertThat(c.progress()).isEqualTo(RunConfig.ProgressMode.OFF);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refusal(b -> b.connections(0), "connections must be >= 1, got 0"),
        refusal(b -> b.maxInFlight(-3), "maxInFlight must be >= 1, got -3"),
        refusal(
            b -> b.metricsPort(-2), "metricsPort must be -1 (off), 0 (any) or 1..65535, got -2"),
        refusal(
            b -> b.metricsPort(65536),
            "metricsPort must be -1 (off), 0 (any) or 1..65535, got 65536"),
        refusal(b -> b.maxConnectionAgeMillis(-1), "maxConnectionAgeMillis must be >= 0, got -1"),
        refusal(b -> b.idleTimeoutMillis(-1), "idleTimeoutMillis must be >= 0, got -1"),
        refusal(b -> b.connectTimeoutMillis(-5), "connectTimeoutMillis must be >= 0, got -5"),
        refusal(b -> b.requestTimeoutMillis(-5), "requestTimeoutMillis must be >= 0, got -5"),
        refusal(
            b -> b.drainSeconds(Double.NaN), "drainSeconds must be a finite number >= 0, got NaN"),
        refusal(
            b -> b.mix(RequestMix.single(RequestTemplate.get("https://127.0.0.1:1/"))).http2(true),
            "http2 speaks HTTP/2 clear-text (prior knowledge) to http:// targets only, got"
                + " https://127.0.0.1:1/"));
  }

  private static Arguments refusal(Consumer<RunConfig.Builder> step, String message) {
    return Arguments.of(step, message);
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusesWithAnExactMessage(Consumer<RunConfig.Builder> step, String message) {
    assertThatThrownBy(
            () -> {
              RunConfig.Builder b = minimal();
              step.accept(b);
              b.build();
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void mixAndProfileAreRequired() {
    assertThatThrownBy(() -> RunConfig.builder().profile(RateProfile.constant(1, 1)).build())
        .hasMessage("mix is required");
    assertThatThrownBy(
            () ->
                RunConfig.builder()
                    .mix(RequestMix.single(RequestTemplate.get("http://127.0.0.1:1/")))
                    .build())
        .hasMessage("profile is required");
  }

  @Test
  void http2OverHttpIsAccepted() {
    assertThat(minimal().http2(true).build().http2()).isTrue();
  }
}
