package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How {@link ManifestReader} runs {@code kubectl}: no pipe deadlock, a deadline, no orphan. */
class ManifestReaderProcessTest {
  @TempDir Path dir;

  /**
   * 4 MiB on stderr before any stdout: reading stdout first with stderr as an unread pipe (64 KiB)
   * would block both sides for ever.
   */
  @Test
  @Timeout(180) // the old read-stdout-then-stderr code hangs here for ever
  void aChildThatFloodsStderrCannotBlockIt() {
    String out =
        ManifestReader.run(
            List.of("sh", "-c", "head -c 4194304 /dev/zero | tr '\\0' x >&2; echo rendered"),
            120,
            "flood",
            "cannot start");
    assertThat(out).isEqualTo("rendered\n");
  }

  @Test
  void aFailingChildReportsItsStderrAndExitCode() {
    assertThatThrownBy(
            () ->
                ManifestReader.run(
                    List.of("sh", "-c", "echo 'error: no kustomization' >&2; exit 3"),
                    120,
                    "kubectl kustomize x",
                    "cannot start"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kubectl kustomize x failed (exit 3): error: no kustomization");
  }

  /** Past its deadline the child (and what it started) is destroyed, not left running. */
  @Test
  void aChildPastItsDeadlineIsKilled() throws Exception {
    Path pidFile = dir.resolve("pid");
    assertThatThrownBy(
            () ->
                ManifestReader.run(
                    List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 300"),
                    2,
                    "slow",
                    "cannot start"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slow did not finish within 2s; it was stopped");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("pid %d still running", pid)
        .isFalse();
  }

  @Test
  void aMissingProgramNamesWhatIsNeeded() {
    assertThatThrownBy(
            () ->
                ManifestReader.run(
                    List.of(dir.resolve("no-such-kubectl").toString()),
                    5,
                    "x",
                    "rendering needs kubectl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rendering needs kubectl: ");
  }
}
