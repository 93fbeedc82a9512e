package dev.surge.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.loadgen.record.RunRecorder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackendNamesTest {
  @Test
  void returnsTheSameStringForTheSameBytes() {
    BackendNames names = new BackendNames();
    byte[] a = "pod-a-trailing".getBytes(StandardCharsets.US_ASCII);
    String first = names.name(a, 5);
    assertThat(first).isEqualTo("pod-a");
    assertThat(names.name("pod-a".getBytes(StandardCharsets.US_ASCII), 5)).isSameAs(first);
    assertThat(names.name("pod-b".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo("pod-b");
    assertThat(names.name(a, 0)).isNull();
  }

  @Test
  void staysBoundedLikeTheRecorder() {
    BackendNames names = new BackendNames();
    for (int i = 0; i < RunRecorder.MAX_BACKENDS; i++) {
      byte[] b = ("pod-" + i).getBytes(StandardCharsets.US_ASCII);
      assertThat(names.name(b, b.length)).isEqualTo("pod-" + i);
    }
    byte[] late = "pod-late".getBytes(StandardCharsets.US_ASCII);
    assertThat(names.name(late, late.length)).isEqualTo(RunRecorder.OTHER_BACKEND);
    byte[] known = "pod-7".getBytes(StandardCharsets.US_ASCII);
    assertThat(names.name(known, known.length)).isEqualTo("pod-7");
  }
}
