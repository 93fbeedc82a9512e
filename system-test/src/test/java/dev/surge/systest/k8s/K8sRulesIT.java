package dev.surge.systest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  static final String RUNBOOK_BASE = "https://github.com/surge-dev/surge/blob/main/k8s/runbooks/";

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
    List<String> names = new ArrayList<>();
    for (JsonNode alert : Manifests.rules().alerts()) {
      String name = alert.path("alert").asText();
      names.add(name);
      assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("page", "ticket");
      assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
      assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
      String runbook = alert.path("annotations").path("runbook_url").asText();
      assertThat(runbook).as(name).isEqualTo(RUNBOOK_BASE + name + ".md");
      Path file =
          RepoPaths.resolve(
              URI.create(runbook).getPath().replaceFirst("^/surge-dev/surge/blob/main/", ""));
      assertThat(file).as("runbook of %s", name).isRegularFile();
      assertThat(readString(file)).as("runbook of %s", name).startsWith("# " + name + "\n");
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(CONTRACT_ALERTS);
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
      assertThat(name).matches("surge:[a-z0-9_]+:rate[0-9]+[mhd]");
      assertThat(r.path("expr").asText()).as(name).contains("job=\"surge\",route=~\"/api/.*\"");
    }
    assertThat(Manifests.rules().recordNames())
        .contains("surge:sli_error_ratio:rate5m", "surge:sli_latency_slow_ratio:rate5m");
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
