package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules, as the PrometheusRule ships them, pass {@code promtool check rules} and the
 * promtool unit tests in k8s/tests, which make every alert fire (labels and annotations checked)
 * and stay quiet.
 */
class K8sRulesIT {
  /** The contract's alert names. */
  static final List<String> CONTRACT_ALERTS =
      List.of(
          "SurgeErrorBudgetBurnFast",
          "SurgeErrorBudgetBurnSlow",
          "SurgeLatencyBudgetBurnFast",
          "SurgeLatencyBudgetBurnSlow",
          "SurgeHighErrorRate",
          "SurgeHighLatencyP95",
          "SurgePodCrashLooping",
          "SurgeTargetDown",
          "SurgeMetricsAbsent",
          "SurgeHPAMaxedOut",
          "SurgeHPAUnableToScale");

  /** The one setting every runbook_url starts with (k8s/base/settings.yaml). */
  static String runbookBaseUrl() {
    JsonNode settings = Kustomize.readYaml(RepoPaths.resolve("k8s/base/settings.yaml"));
    assertThat(settings.path("metadata").path("name").asText()).isEqualTo("surge-settings");
    String base = settings.path("data").path("runbookBaseURL").asText();
    assertThat(base).as("runbookBaseURL").startsWith("https://").doesNotEndWith("/");
    return base;
  }

  @TempDir Path dir;

  @Test
  void promtoolCheckRulesAcceptsTheExtractedRules() {
    Path promtool = Tools.require("promtool", "prometheus");
    Path rules = Manifests.rules().writeRuleFile(dir.resolve("surge-rules.yaml"));
    Commands.Result r =
        Commands.run(List.of(promtool.toString(), "check", "rules", rules.toString()));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout())
        .contains("SUCCESS: " + Manifests.rules().rules().size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPassOnTheRulesAsShipped() throws IOException {
    Path promtool = Tools.require("promtool", "prometheus");
    Manifests.rules().writeRuleFile(dir.resolve("surge-rules.yaml"));
    List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    for (Path test : testFiles()) {
      Path copy = Files.copy(test, dir.resolve(test.getFileName()));
      command.add(copy.toString());
    }
    Commands.Result r = Commands.run(command, dir, Map.of(), Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout()).doesNotContain("FAILED");
  }

  @Test
  void theRuleTestsMakeEveryAlertFireAndStayQuiet() {
    Set<String> fires = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (Path test : testFiles()) {
      JsonNode doc = Kustomize.readYaml(test);
      assertThat(doc.path("rule_files").get(0).asText())
          .as(test + " rule_files")
          .isEqualTo("surge-rules.yaml");
      for (JsonNode t : doc.path("tests")) {
        // promtool 2.42 needs an explicit interval per test group
        assertThat(t.path("interval").asText())
            .as("interval of %s in %s", t.path("name").asText(), test)
            .isNotEmpty();
        for (JsonNode a : t.path("alert_rule_test")) {
          String name = a.path("alertname").asText();
          if (a.path("exp_alerts").isEmpty()) {
            quiet.add(name);
          } else {
            fires.add(name);
            for (JsonNode exp : a.path("exp_alerts")) {
              assertThat(exp.path("exp_labels").has("severity"))
                  .as("%s checks severity", name)
                  .isTrue();
              assertThat(exp.path("exp_annotations").has("summary"))
                  .as("%s checks summary", name)
                  .isTrue();
              assertThat(exp.path("exp_annotations").has("description"))
                  .as("%s checks description", name)
                  .isTrue();
              assertThat(exp.path("exp_annotations").has("runbook_url"))
                  .as("%s checks runbook_url", name)
                  .isTrue();
            }
          }
        }
      }
    }
    assertThat(fires).as("alerts with a firing test").containsAll(CONTRACT_ALERTS);
    assertThat(quiet).as("alerts with a quiet test").containsAll(CONTRACT_ALERTS);
  }

  @Test
  void alertsAreExactlyTheContractsWithSeveritySummaryDescriptionAndAnExistingRunbook() {
    String base = runbookBaseUrl();
    // The default base is a GitHub blob URL of this repository's k8s/ directory: the path after
    // /blob/<ref>/ is a directory of this checkout, so each link resolves to a file here.
    Matcher blob =
        Pattern.compile("^https://github\\.com/[\\w.-]+/[\\w.-]+/blob/[\\w.-]+/(.+)$")
            .matcher(base);
    assertThat(blob.matches()).as("runbookBaseURL %s is a GitHub blob URL", base).isTrue();
    Path dir = RepoPaths.resolve(blob.group(1));
    List<String> names = new ArrayList<>();
    for (JsonNode alert : Manifests.rules().alerts()) {
      String name = alert.path("alert").asText();
      names.add(name);
      assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("page", "ticket");
      assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
      assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
      String runbook = alert.path("annotations").path("runbook_url").asText();
      assertThat(runbook).as(name).isEqualTo(base + "/runbooks/" + name + ".md");
      Path file = dir.resolve("runbooks/" + name + ".md");
      assertThat(file).as("runbook of %s", name).isRegularFile();
      assertThat(readString(file)).as("runbook of %s", name).startsWith("# " + name + "\n");
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(CONTRACT_ALERTS);
  }

  @Test
  void everyRunbookUrlComesFromTheOneSetting() throws IOException {
    // the shipped PrometheusRule holds a placeholder: only the kustomize replacement from
    // base/settings.yaml makes the URL, so no alert can keep a URL of its own
    String raw = Files.readString(RepoPaths.resolve("k8s/base/prometheusrule.yaml"));
    Matcher urls = Pattern.compile("runbook_url: (\\S+)").matcher(raw);
    int n = 0;
    while (urls.find()) {
      n++;
      assertThat(urls.group(1)).startsWith("RUNBOOK_BASE_URL/runbooks/");
    }
    assertThat(n).isEqualTo(CONTRACT_ALERTS.size());
    for (Path overlay : Manifests.renderable()) {
      for (JsonNode alert :
          RuleGroups.of(Kustomize.one(Manifests.render(overlay), "PrometheusRule", "surge"))
              .alerts()) {
        assertThat(alert.path("annotations").path("runbook_url").asText())
            .as("%s in %s", alert.path("alert").asText(), Manifests.name(overlay))
            .startsWith(runbookBaseUrl() + "/runbooks/");
      }
    }
    // and every runbook page belongs to an alert
    try (Stream<Path> pages = Files.list(RepoPaths.resolve("k8s/runbooks"))) {
      List<String> runbooks =
          pages
              .map(p -> p.getFileName().toString())
              .filter(f -> f.endsWith(".md") && !f.equals("README.md"))
              .map(f -> f.substring(0, f.length() - 3))
              .toList();
      assertThat(runbooks).containsExactlyInAnyOrderElementsOf(CONTRACT_ALERTS);
    }
  }

  @Test
  void prometheusKeepsTheLongestWindowThatARuleOrADashboardReads() throws IOException {
    JsonNode values =
        Kustomize.readYaml(RepoPaths.resolve("k8s/monitoring/kube-prometheus-stack-values.yaml"));
    Duration retention =
        days(values.path("prometheus").path("prometheusSpec").path("retention").asText());
    List<String> exprs = new ArrayList<>();
    Manifests.rules().rules().forEach(r -> exprs.add(r.path("expr").asText()));
    try (Stream<Path> files = Files.list(RepoPaths.resolve("dashboards"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Kustomize.JSON.readTree(f.toFile()).findValues("expr").forEach(e -> exprs.add(e.asText()));
      }
    }
    Duration longest = Duration.ZERO;
    Matcher window =
        Pattern.compile("(?:\\[|:rate)(\\d+)([mhdw])").matcher(String.join("\n", exprs));
    while (window.find()) {
      Duration w = days(window.group(1) + window.group(2));
      longest = w.compareTo(longest) > 0 ? w : longest;
    }
    assertThat(longest).as("the SLO window").isEqualTo(Duration.ofDays(28));
    assertThat(retention)
        .as("retention %s vs the longest window read, %s", retention, longest)
        .isGreaterThanOrEqualTo(longest);
  }

  private static Duration days(String text) {
    Matcher m = Pattern.compile("(\\d+)([mhdwy])").matcher(text);
    assertThat(m.matches()).as("a Prometheus duration: %s", text).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w" -> Duration.ofDays(7 * n);
      default -> Duration.ofDays(365 * n);
    };
  }

  @Test
  void burnRateAlertsUseTheSreWorkbookWindowsAndFactors() {
    Map<String, List<String>> expected =
        Map.of(
            "SurgeErrorBudgetBurnFast",
                List.of("rate1h > (14.4 *", "rate5m > (14.4 *", "rate6h > (6 *", "rate30m > (6 *"),
            "SurgeErrorBudgetBurnSlow",
                List.of("rate1d > (3 *", "rate2h > (3 *", "rate3d > (1 *", "rate6h > (1 *"),
            "SurgeLatencyBudgetBurnFast",
                List.of("rate1h > (14.4 *", "rate5m > (14.4 *", "rate6h > (6 *", "rate30m > (6 *"),
            "SurgeLatencyBudgetBurnSlow",
                List.of("rate1d > (3 *", "rate2h > (3 *", "rate3d > (1 *", "rate6h > (1 *"));
    for (JsonNode alert : Manifests.rules().alerts()) {
      String name = alert.path("alert").asText();
      if (expected.containsKey(name)) {
        assertThat(alert.path("expr").asText()).as(name).contains(expected.get(name));
        assertThat(alert.path("labels").path("severity").asText())
            .as(name)
            .isEqualTo(name.endsWith("Fast") ? "page" : "ticket");
      }
    }
  }

  @Test
  void recordingRulesAreNamedSurgeWhatWindowAndSelectTheApiRoutes() {
    assertThat(Manifests.rules().recordings()).isNotEmpty();
    for (JsonNode r : Manifests.rules().recordings()) {
      String name = r.path("record").asText();
      String expr = r.path("expr").asText();
      if (name.startsWith("surge:sli_")) {
        assertThat(name).matches("surge:sli_[a-z0-9_]+:rate[0-9]+[mhd]");
        // an SLI reads the /api requests, or SLI rules that do
        if (expr.contains("surge_http_")) {
          assertThat(expr).as(name).contains("job=\"surge\",route=~\"/api/.*\"");
        } else {
          assertThat(expr).as(name).containsPattern("surge:sli_[a-z_]+:rate5m");
        }
      } else {
        // FinOps totals: surge:<what>:<aggregation>
        assertThat(name).matches("surge:app_[a-z0-9_]+:(sum|count)");
      }
    }
    assertThat(Manifests.rules().recordNames())
        .contains(
            "surge:sli_error_ratio:rate5m",
            "surge:sli_latency_slow_ratio:rate5m",
            "surge:sli_error_ratio:rate28d",
            "surge:sli_latency_slow_ratio:rate28d");
  }

  @Test
  void everyErrorRatioRuleCountsAMissingNumeratorAsZero() {
    // before the first 5xx, errors / requests has no left side: "or 0 * requests" makes it 0
    for (JsonNode r : Manifests.rules().recordings()) {
      String name = r.path("record").asText();
      if (name.startsWith("surge:sli_error") && r.path("expr").asText().contains("status=~")) {
        assertThat(r.path("expr").asText().replaceAll("\\s+", " "))
            .as(name)
            .contains(") or 0 * sum by (namespace, job) (rate(surge_http_requests_total{");
      }
    }
  }

  @Test
  void prometheusRuleCarriesTheReleaseLabelOfTheContract() {
    assertThat(Manifests.prometheusRule().path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
  }

  static List<Path> testFiles() {
    try (Stream<Path> files = Files.list(RepoPaths.resolve("k8s/tests"))) {
      List<Path> tests =
          files.filter(f -> f.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
      assertThat(tests).as("promtool test files in k8s/tests").isNotEmpty();
      return tests;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
