package dev.surge.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void startsStartingAndOnlyMovesForward() {
    Lifecycle l = new Lifecycle();
    assertThat(l.state()).isEqualTo(Lifecycle.State.STARTING);
    assertThat(l.isReady()).isFalse();
    assertThat(l.advanceTo(Lifecycle.State.READY)).isTrue();
    assertThat(l.isReady()).isTrue();
    assertThat(l.isShuttingDown()).isFalse();
    assertThat(l.advanceTo(Lifecycle.State.DRAINING)).isTrue();
    assertThat(l.isReady()).isFalse();
    assertThat(l.isShuttingDown()).isTrue();
    assertThat(l.advanceTo(Lifecycle.State.READY)).isFalse();
    assertThat(l.state()).isEqualTo(Lifecycle.State.DRAINING);
    assertThat(l.advanceTo(Lifecycle.State.STOPPED)).isTrue();
    assertThat(l.advanceTo(Lifecycle.State.STOPPED)).isFalse();
    assertThat(l.isShuttingDown()).isTrue();
  }
}
