package dev.surge.loadgen.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.report.HtmlReport;
import java.io.FileNotFoundException;
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
  Path result;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write")
  Path output;

  @Override
  public Integer call() {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(result.toFile());
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new UsageException("RESULT '" + result + "': no such file", e);
    } catch (JacksonException e) {
      throw new UsageException("RESULT '" + result + "': not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UsageException("RESULT '" + result + "': cannot read: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new UsageException("RESULT '" + result + "': not a JSON object");
    }
    String html =
        UsageException.fromInvalid(
            "RESULT '" + result + "'",
            () -> HtmlReport.render(json, result.getFileName().toString()));
    try {
      Files.writeString(output, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("--output '" + output + "': cannot write: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println("wrote " + output + " (" + html.length() / 1024 + " KiB)");
    return ExitCode.OK.code();
  }
}
