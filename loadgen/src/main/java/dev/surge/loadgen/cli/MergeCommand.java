package dev.surge.loadgen.cli;

import dev.surge.common.cli.ExitCode;
import dev.surge.common.cli.UsageException;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.merge.ResultMerger;
import dev.surge.loadgen.output.HdrLog;
import dev.surge.loadgen.output.ResultWriter;
import dev.surge.loadgen.output.RunResult;
import dev.surge.loadgen.output.RunResult.Checks;
import dev.surge.loadgen.output.RunResult.ThresholdOutcome;
import dev.surge.loadgen.output.SummaryPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code merge}: combines the result files (and HDR logs) of the shards of a distributed run into
 * one result whose percentiles come from the added-up histograms. Exit 1 when a {@code --threshold}
 * fails on the merged figures.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Merge shard results into one, with percentiles from the combined histograms.",
      "Example: merge shard-0.json shard-1.json --logs shard-0.hlog --logs shard-1.hlog --out all.json"
    })
public final class MergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "RESULT",
      arity = "1..*",
      description = "Result files written by run --out.")
  List<Path> inputs = new ArrayList<>();

  @Option(
      names = "--logs",
      paramLabel = "HLOG",
      split = ",",
      description =
          "HDR logs written by run --hdr-log, one per result and in the same order (exact interval percentiles).")
  List<Path> logs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Write the merged result JSON here.")
  Path out;

  @Option(
      names = "--hdr-log",
      paramLabel = "FILE",
      description = "Write the merged HDR interval log here (needs --logs).")
  Path hdrLog;

  @Option(
      names = "--threshold",
      paramLabel = "COND",
      split = ";",
      description = "Checked on the merged figures; exit 1 when one fails. Repeatable.")
  List<String> thresholds = new ArrayList<>();

  @Override
  public Integer call() {
    Thresholds checks =
        UsageException.fromInvalid("--threshold", () -> Thresholds.parse(thresholds));
    if (hdrLog != null && logs.isEmpty()) {
      throw new UsageException("--hdr-log '" + hdrLog + "': needs --logs (the shards' HDR logs)");
    }
    List<RunResult> results = new ArrayList<>();
    for (Path p : inputs) {
      results.add(UsageException.fromInvalid("RESULT", () -> ResultWriter.read(p)));
    }
    ResultMerger.Merged merged =
        UsageException.fromInvalid("--logs", () -> ResultMerger.merge(results, logs));
    List<ThresholdOutcome> outcomes = checks.evaluate(merged.result().summary());
    boolean passed = Thresholds.allPassed(outcomes);
    RunResult r = merged.result();
    RunResult withChecks =
        new RunResult(
            r.tool(),
            r.version(),
            r.startedAt(),
            r.config(),
            r.summary(),
            r.intervals(),
            new Checks(passed, false, null, outcomes));
    PrintWriter pw = spec.commandLine().getOut();
    pw.println("merged " + results.size() + " results");
    SummaryPrinter.print(pw, withChecks.summary(), withChecks.checks());
    if (out != null) {
      ResultWriter.write(withChecks, out);
      pw.println("result   " + out);
    }
    if (hdrLog != null) {
      long start = r.startedAt() == null ? 0 : Instant.parse(r.startedAt()).toEpochMilli();
      try (HdrLog log = UsageException.fromInvalid("--hdr-log", () -> new HdrLog(hdrLog, start))) {
        double prev = 0;
        for (int k = 0; k < merged.intervalHistograms().size(); k++) {
          Histogram[] h = merged.intervalHistograms().get(k);
          double t = k < r.intervals().size() ? r.intervals().get(k).t() : prev + 1;
          log.append(prev, t, h[0], h[1]);
          prev = t;
        }
      }
      pw.println("hdr log  " + hdrLog);
    }
    pw.flush();
    return passed ? ExitCode.OK.code() : ExitCode.FAILED.code();
  }
}
