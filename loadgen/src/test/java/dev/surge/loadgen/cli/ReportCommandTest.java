package dev.surge.loadgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheHtmlFile() throws Exception {
    Path in = dir.resolve("r.json");
    Files.writeString(
        in,
        "{\"summary\":{\"requests\":3},\"intervals\":[{\"t\":1,\"targetRate\":5,\"achievedRate\":4}]}");
    Path out = dir.resolve("r.html");
    CliRunner r = CliRunner.run("report", in.toString(), "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out))
        .startsWith("<!DOCTYPE html>")
        .contains("<h2>Request rate</h2>")
        .contains("\"achievedRate\":4");
  }

  @Test
  void rejectsAMissingFileWithExit2() {
    CliRunner r =
        CliRunner.run(
            "report", dir.resolve("nope.json").toString(), "-o", dir.resolve("x.html").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("RESULT '").contains("nope.json': no such file");
  }

  @Test
  void rejectsNonJsonWithExit2() throws Exception {
    Path in = dir.resolve("bad.json");
    Files.writeString(in, "not json {");
    CliRunner r = CliRunner.run("report", in.toString(), "-o", dir.resolve("x.html").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.json': not JSON");
  }

  @Test
  void rejectsJsonThatIsNotAResultWithExit2() throws Exception {
    Path in = dir.resolve("other.json");
    Files.writeString(in, "{\"hello\":1}");
    CliRunner r = CliRunner.run("report", in.toString(), "-o", dir.resolve("x.html").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("other.json has no intervals[] array");
  }

  @Test
  void rejectsAnUnwritableOutputWithExit2() throws Exception {
    Path in = dir.resolve("r.json");
    Files.writeString(in, "{\"intervals\":[]}");
    CliRunner r =
        CliRunner.run("report", in.toString(), "-o", dir.resolve("no/such/dir/x.html").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--output '");
  }
}
