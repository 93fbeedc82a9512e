package dev.surge.loadgen.cli;

import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.ui.LiveView;
import dev.surge.loadgen.ui.UiServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --ui}, {@code --ui-port}, {@code --ui-open}: the live page of a run, shared by the
 * loadgen's {@code run} and the lab's {@code run} and {@code demo} (a picocli mixin). Without
 * {@code --ui} the view is {@link LiveView#off()}: nothing is started and nothing costs anything.
 */
public final class UiOptions {
  @Option(
      names = "--ui",
      description =
          "Serve a live page of the run on 127.0.0.1 (rate, latency, errors, backends, replicas,"
              + " utilization, events); its URL is printed first.")
  boolean ui;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "The live page's port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--ui-open",
      description = "With --ui: also open the page in the default browser, where there is one.")
  boolean open;

  /** Where {@code --ui-open} looks for an opener; null: the {@code PATH} (a seam for tests). */
  String searchPath;

  /**
   * Starts the live page when {@code --ui} is given and prints its URL; otherwise returns the
   * do-nothing view. The caller closes it after the run.
   *
   * @throws UsageException naming {@code --ui-port} when the port is out of range or in use, or
   *     {@code --ui-open}/{@code --ui-port} given without {@code --ui}
   */
  public LiveView open(PrintWriter out) {
    if (port < 0 || port > 65535) {
      throw new UsageException("--ui-port " + port + ": must be 0..65535");
    }
    if (!ui) {
      if (open) {
        throw new UsageException("--ui-open: needs --ui");
      }
      if (port != 0) {
        throw new UsageException("--ui-port " + port + ": needs --ui");
      }
      return LiveView.off();
    }
    UiServer server;
    try {
      server = UiServer.builder().port(port).build();
    } catch (BindException e) {
      throw new UsageException(
          "--ui-port "
              + port
              + ": cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + ")",
          e);
    } catch (IOException e) {
      throw new UsageException(
          "--ui-port " + port + ": cannot serve the page: " + e.getMessage(), e);
    }
    out.println("ui       " + server.url() + " (live page of this run)");
    out.flush();
    if (open) {
      browse(
          server.url(),
          searchPath != null ? searchPath : System.getenv().getOrDefault("PATH", ""),
          out);
    }
    return server;
  }

  /**
   * Opens the URL with the desktop's opener ({@code xdg-open} on Linux, {@code open} on macOS) when
   * one is on the PATH; says so where there is none (a server, a container).
   */
  private static void browse(String url, String searchPath, PrintWriter out) {
    for (String opener : new String[] {"xdg-open", "open"}) {
      for (String dir : searchPath.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, opener);
        if (Files.isExecutable(candidate)) {
          try {
            new ProcessBuilder(candidate.toString(), url)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            return;
          } catch (IOException e) {
            out.println(
                "ui       cannot run " + candidate + " (" + e.getMessage() + "): open " + url);
            out.flush();
            return;
          }
        }
      }
    }
    out.println("ui       no browser opener here (xdg-open): open " + url + " yourself");
    out.flush();
  }
}
