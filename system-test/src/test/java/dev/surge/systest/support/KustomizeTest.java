package dev.surge.systest.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KustomizeTest {
  @Test
  void parseAllReturnsOneTreePerNonEmptyDocument() {
    var objects =
        Kustomize.parseAll(
            "kind: A\nmetadata: {name: a}\n---\n---\nkind: B\nmetadata: {name: b, namespace: n}\n");
    assertThat(Kustomize.describe(objects)).containsExactly("A/a", "B/n/b");
  }
}
