package dev.surge.loadgen.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.loadgen.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report result.json -o report.html}: one self-contained HTML page with the run's charts.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Render a run's result JSON as a self-contained HTML report (inline SVG, nothing fetched).")
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "RESULT",
      description = "The result JSON written by run --out")
  String result;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write")
  String output;

  @Override
  public Integer call() throws IOException {
    Path in = Path.of(result);
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(in.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("RESULT '" + result + "': no such file");
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "RESULT '" + result + "': not JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("RESULT '" + result + "': not a JSON object");
    }
    String html;
    try {
      html = HtmlReport.render(json, in.getFileName().toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RESULT '" + result + "': " + e.getMessage(), e);
    }
    Path out = Path.of(output);
    try {
      Files.writeString(out, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--output '" + output + "': cannot write: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println("wrote " + out + " (" + html.length() / 1024 + " KiB)");
    return 0;
  }
}
