package dev.surge.systest.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.systest.support.Commands;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code bin/kind-up} does before it needs a cluster (there is no Docker engine or kind here):
 * its usage errors exit 2 naming the argument, and a missing tool exits 1 naming the tool and where
 * to get it. The cluster part runs in the e2e-kind workflow.
 */
class KindUpIT {
  private Path bin;

  /** A PATH with bash and the coreutils the script uses, and no kind, docker, kubectl or helm. */
  @BeforeEach
  void bareBin() throws IOException {
    bin = Files.createTempDirectory("kind-up-path");
    for (String tool : List.of("bash", "cat", "dirname", "env")) {
      Files.createSymbolicLink(bin.resolve(tool), Tools.require(tool, "coreutils").toRealPath());
    }
  }

  @AfterEach
  void removeBin() {
    Commands.run(List.of("rm", "-rf", bin.toString()));
  }

  @Test
  void unknownArgumentIsAUsageError() {
    Commands.Result r = kindUp("--bogus");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("kind-up: unknown argument '--bogus'", "usage: bin/kind-up");
  }

  @Test
  void overlayWithoutKustomizationIsAUsageError() {
    Commands.Result r = kindUp("--overlay", "k8s/overlays/nope");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--overlay 'k8s/overlays/nope': no kustomization.yaml there");
  }

  @Test
  void missingKindIsNamedWithWhereToGetIt() {
    Commands.Result r = kindUp();
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("kind-up: kind not found on PATH: install it (https://kind.sigs.k8s.io/");
  }

  @Test
  void helpExitsZero() {
    Commands.Result r = kindUp("--help");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout()).contains("--delete", "--keda", "--profile SPEC");
  }

  private Commands.Result kindUp(String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(bin.resolve("bash").toString(), RepoPaths.resolve("bin/kind-up").toString()));
    command.addAll(List.of(args));
    return Commands.run(
        command, RepoPaths.root(), Map.of("PATH", bin.toString()), Duration.ofSeconds(30));
  }
}
