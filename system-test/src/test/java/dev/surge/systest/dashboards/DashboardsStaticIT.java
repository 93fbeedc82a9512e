package dev.surge.systest.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.cluster.operator.RuleGroups;
import dev.surge.systest.support.Commands;
import dev.surge.systest.support.Kustomize;
import dev.surge.systest.support.RepoPaths;
import dev.surge.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static checks of every dashboard in {@code dashboards/}: strict JSON, the contract's uids,
 * Grafana-importable metadata, every panel and target on the {@code ${datasource}} variable, unique
 * panel ids, a tidy grid, variables that exist, links that resolve, every query valid PromQL
 * (promtool), and the kustomization that provisions them. (An {@code *IT} because it reads the
 * repository through the Failsafe system properties.)
 */
class DashboardsStaticIT {
  private static final String DATASOURCE = "${datasource}";

  /**
   * Values for the query variables and Grafana built-ins, so that every query can be checked by
   * promtool.
   */
  static final Map<String, String> VALUES =
      Map.of(
          "namespace", "surge",
          "pod", ".*",
          "hpa", "surge",
          "__rate_interval", "1m",
          "__interval", "15s",
          "__range", "1h",
          "__range_s", "3600");

  static List<Dashboard> dashboards() {
    return Dashboard.loadAll(RepoPaths.resolve("dashboards"));
  }

  /** The dashboard uids docs/CONTRACT.md binds (the backticked names on its "uids ..." line). */
  static Set<String> contractUids() throws IOException {
    String contract = Files.readString(RepoPaths.resolve("docs/CONTRACT.md"));
    Matcher line = Pattern.compile("(?m)^uids (.*)$").matcher(contract);
    assertThat(line.find()).as("docs/CONTRACT.md has a line starting with 'uids '").isTrue();
    Set<String> uids = new HashSet<>();
    Matcher name = Pattern.compile("`(surge-[a-z-]+)`").matcher(line.group(1));
    while (name.find()) {
      uids.add(name.group(1));
    }
    return uids;
  }

  @Test
  void dashboardUidsAreExactlyTheContractsAndUnique() throws IOException {
    List<String> uids = dashboards().stream().map(Dashboard::uid).toList();
    assertThat(uids).doesNotHaveDuplicates();
    assertThat(Set.copyOf(uids)).isEqualTo(contractUids());
    assertThat(dashboards().stream().map(Dashboard::title).toList()).doesNotHaveDuplicates();
    for (Dashboard d : dashboards()) {
      assertThat(d.fileName()).as("file name of %s", d.uid()).isEqualTo(d.uid() + ".json");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void importsIntoGrafanaAsIs(Dashboard d) {
    JsonNode json = d.json();
    assertThat(json.path("id").isNull())
        .as("%s: id must be null so that import creates it", d)
        .isTrue();
    assertThat(json.path("schemaVersion").asInt())
        .as("%s schemaVersion", d)
        .isGreaterThanOrEqualTo(39);
    assertThat(d.title()).as("%s title", d).startsWith("surge / ");
    assertThat(json.path("tags").toString()).as("%s tags", d).contains("\"surge\"");
    assertThat(json.path("description").asText()).as("%s description", d).isNotBlank();
    // Import without __inputs works because every panel uses the datasource variable; if __inputs
    // is ever added,
    // each input must be a Prometheus datasource.
    for (JsonNode input : json.path("__inputs")) {
      assertThat(input.path("type").asText()).as("%s __inputs type", d).isEqualTo("datasource");
      assertThat(input.path("pluginId").asText())
          .as("%s __inputs pluginId", d)
          .isEqualTo("prometheus");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void everyPanelAndTargetUsesTheDatasourceVariable(Dashboard d) {
    assertThat(d.dataPanels()).as("%s has panels", d).isNotEmpty();
    for (JsonNode panel : d.dataPanels()) {
      String where =
          d + " panel #" + panel.path("id").asInt() + " \"" + panel.path("title").asText() + "\"";
      assertDatasource(panel.path("datasource"), where);
      assertThat(panel.path("title").asText()).as(where + " title").isNotBlank();
      assertThat(panel.path("targets").size()).as(where + " has targets").isPositive();
      List<String> refIds = new ArrayList<>();
      for (JsonNode target : panel.path("targets")) {
        assertDatasource(
            target.path("datasource"), where + " target " + target.path("refId").asText());
        assertThat(target.path("expr").asText()).as(where + " expr").isNotBlank();
        refIds.add(target.path("refId").asText());
      }
      assertThat(refIds).as(where + " refIds").doesNotHaveDuplicates().doesNotContain("");
    }
    for (JsonNode v : d.variables()) {
      if ("query".equals(v.path("type").asText())) {
        assertDatasource(v.path("datasource"), d + " variable " + v.path("name").asText());
      }
    }
    for (JsonNode a : d.queryAnnotations()) {
      assertDatasource(a.path("datasource"), d + " annotation " + a.path("name").asText());
    }
  }

  private static void assertDatasource(JsonNode ds, String where) {
    assertThat(ds.path("uid").asText()).as(where + " datasource uid").isEqualTo(DATASOURCE);
    assertThat(ds.path("type").asText()).as(where + " datasource type").isEqualTo("prometheus");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void panelIdsAreUniqueAndPanelsDoNotOverlap(Dashboard d) {
    List<Integer> ids = d.panels().stream().map(p -> p.path("id").asInt(-1)).toList();
    assertThat(ids).as("%s panel ids", d).doesNotHaveDuplicates().doesNotContain(-1);
    List<JsonNode> placed = d.panels();
    for (int i = 0; i < placed.size(); i++) {
      JsonNode a = placed.get(i).path("gridPos");
      assertThat(a.path("x").asInt() + a.path("w").asInt())
          .as("%s panel #%s fits 24 columns", d, ids.get(i))
          .isLessThanOrEqualTo(24);
      assertThat(a.path("w").asInt()).as("%s panel #%s width", d, ids.get(i)).isPositive();
      assertThat(a.path("h").asInt()).as("%s panel #%s height", d, ids.get(i)).isPositive();
      for (int j = i + 1; j < placed.size(); j++) {
        JsonNode b = placed.get(j).path("gridPos");
        boolean overlap =
            a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
        assertThat(overlap)
            .as("%s panels #%s and #%s overlap", d, ids.get(i), ids.get(j))
            .isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void declaresTheDatasourceNamespaceAndPodVariables(Dashboard d) {
    JsonNode ds =
        d.variable("datasource")
            .orElseThrow(() -> new AssertionError(d + " has no datasource variable"));
    assertThat(ds.path("type").asText()).isEqualTo("datasource");
    assertThat(ds.path("query").asText()).isEqualTo("prometheus");
    JsonNode ns =
        d.variable("namespace")
            .orElseThrow(() -> new AssertionError(d + " has no namespace variable"));
    assertThat(ns.path("type").asText()).isEqualTo("query");
    assertThat(DashboardQueries.queryText(ns)).startsWith("label_values(");
    // The SLO is service-wide by definition: a per-pod SLI would be a different (and misleading)
    // number.
    if (!d.uid().equals("surge-slo")) {
      JsonNode pod =
          d.variable("pod").orElseThrow(() -> new AssertionError(d + " has no pod variable"));
      assertThat(pod.path("type").asText()).isEqualTo("query");
      assertThat(pod.path("multi").asBoolean()).as("%s pod is multi-value", d).isTrue();
      assertThat(pod.path("includeAll").asBoolean()).as("%s pod offers All", d).isTrue();
      assertThat(DashboardQueries.queryText(pod)).contains("namespace=\"$namespace\"");
      // "All" as the regex .*, not the list of pods known when the variable last refreshed: pods
      // the HPA adds show up at once
      assertThat(pod.path("allValue").asText()).as("%s pod allValue", d).isEqualTo(".*");
    }
  }

  static Dashboard dashboard(String uid) {
    return dashboards().stream().filter(d -> d.uid().equals(uid)).findFirst().orElseThrow();
  }

  private static String titleOf(Dashboard d, int panelId) {
    return d.dataPanels().stream()
        .filter(p -> p.path("id").asInt() == panelId)
        .findFirst()
        .orElseThrow()
        .path("title")
        .asText();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void longWindowsAreInstantQueriesOfRecordingRules(Dashboard d) {
    Pattern longRange = Pattern.compile("\\[(\\d+)d]");
    for (JsonNode panel : d.dataPanels()) {
      String title = panel.path("title").asText();
      for (JsonNode t : panel.path("targets")) {
        String expr = t.path("expr").asText();
        String where = d + " #" + panel.path("id").asInt() + " \"" + title + "\"";
        Matcher m = longRange.matcher(expr);
        while (m.find()) {
          // a range of days over raw series reads every sample of every pod at each refresh
          assertThat(expr)
              .as("%s reads [%sd] of raw series: %s", where, m.group(1), expr)
              .doesNotContain("surge_http_")
              .doesNotContain("kube_")
              .doesNotContain("container_");
        }
        assertThat(expr).as("%s: a subquery over the range", where).doesNotContain("[$__range:");
        if (expr.contains("[$__range]") || title.contains("(28d)")) {
          assertThat(t.path("instant").asBoolean()).as("%s is an instant query", where).isTrue();
          assertThat(t.path("range").asBoolean(true))
              .as("%s is not a range query", where)
              .isFalse();
          assertThat(expr)
              .as("%s reads recording rules only", where)
              .containsPattern("surge:[a-z0-9_]+:[a-z0-9]+")
              .doesNotContain("surge_http_")
              .doesNotContain("kube_")
              .doesNotContain("container_");
        }
        if (title.contains("(28d)")) {
          assertThat(expr).as(where).contains(":rate28d");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void errorRatiosCountTheSliRoutesOnly(Dashboard d) {
    for (PanelQuery q : DashboardQueries.of(d, VALUES)) {
      String expr = q.expr();
      // the per-route breakdown shows every route by name; any other 5xx ratio is the SLI's
      if (expr.contains("surge_http_requests_total")
          && expr.contains("status=~\"5..\"")
          && !expr.contains("by (route)")) {
        Matcher selectors = Pattern.compile("surge_http_requests_total\\{([^}]*)}").matcher(expr);
        while (selectors.find()) {
          assertThat(selectors.group(1))
              .as("%s: /readyz 503s and /status/{code} are not errors of the service", q.where())
              .contains("route=~\"/api/.*\"");
        }
      }
    }
  }

  @Test
  void autoscalingShowsWhatTheHpaCountsAndItsOwnReading() {
    Dashboard d = dashboard("surge-autoscaling");
    boolean ownReading = false;
    boolean perPodTarget = false;
    for (PanelQuery q : DashboardQueries.of(d, VALUES)) {
      if (q.expr().contains("kube_horizontalpodautoscaler_status_target_metric")) {
        ownReading = true;
      }
      if (q.expr().contains("metric_target_type=\"average\"")) {
        perPodTarget = true;
        // the rate drawn against a per-pod target counts what the KEDA trigger and the adapter
        // count: /api requests
        for (PanelQuery other : DashboardQueries.of(d, VALUES)) {
          if (other.panelId() == q.panelId()
              && other.expr().contains("surge_http_requests_total")) {
            assertThat(other.expr()).as(other.where()).contains("route=~\"/api/.*\"");
          }
        }
      }
    }
    assertThat(ownReading)
        .as(
            "a panel shows kube_horizontalpodautoscaler_status_target_metric (the HPA's own reading)")
        .isTrue();
    assertThat(perPodTarget).isTrue();
    JsonNode adapter =
        Kustomize.readYaml(
            RepoPaths.resolve("k8s/components/custom-metrics-hpa/prometheus-adapter-values.yaml"));
    assertThat(adapter.path("rules").path("custom").get(0).path("metricsQuery").asText())
        .contains("route=~\"/api/.*\"");
    for (JsonNode panel : d.dataPanels()) {
      for (JsonNode t : panel.path("targets")) {
        if (t.path("legendFormat").asText().toLowerCase(java.util.Locale.ROOT).contains("hpa")) {
          assertThat(t.path("expr").asText())
              .as(
                  "#%s %s: the HPA's figure is the HPA's, not a recomputation",
                  panel.path("id").asInt(), t.path("legendFormat").asText())
              .doesNotContain("container_cpu_usage_seconds_total");
        }
      }
    }
  }

  @Test
  void finopsPricesAndCurrencyAreSettableCitedAndItsCostModelIsStated() throws IOException {
    Dashboard d = dashboard("surge-finops");
    Map<String, String> defaults =
        Map.of("price_vcpu_hour", "0.04048", "price_gib_hour", "0.004445", "currency", "USD");
    defaults.forEach(
        (name, value) -> {
          JsonNode v = d.variable(name).orElseThrow(() -> new AssertionError("no " + name));
          assertThat(v.path("type").asText()).as(name).isEqualTo("textbox");
          assertThat(v.path("query").asText()).as(name).isEqualTo(value);
          assertThat(v.path("current").path("value").asText()).as(name).isEqualTo(value);
        });
    String description = d.json().path("description").asText();
    assertThat(description)
        .as("the cost model")
        .contains("requested vCPU × price per vCPU-hour + requested GiB × price per GiB-hour")
        .contains("load generator")
        .contains("idle node capacity")
        .contains("AWS Fargate")
        .contains("us-east-1")
        .contains("https://aws.amazon.com/fargate/pricing/")
        .contains("0.04048")
        .contains("0.004445");
    String readme = Files.readString(RepoPaths.resolve("dashboards/README.md"));
    assertThat(readme).contains("0.04048", "0.004445", "`currency`", "AWS Fargate");
    int costPanels = 0;
    for (JsonNode panel : d.dataPanels()) {
      String unit = panel.path("fieldConfig").path("defaults").path("unit").asText();
      assertThat(unit).as("#%s unit", panel.path("id").asInt()).doesNotStartWith("currency");
      boolean priced = false;
      for (JsonNode t : panel.path("targets")) {
        String expr = t.path("expr").asText();
        if (expr.contains("$price_")) {
          priced = true;
          if (expr.contains("kube_pod_container_resource_requests")) {
            // the app's pods only: the load generator is not what surge costs
            assertThat(expr).as(titleOf(d, panel.path("id").asInt())).contains("container=\"app\"");
          }
        }
      }
      if (priced) {
        costPanels++;
        assertThat(panel.path("title").asText())
            .as("#%s names the currency", panel.path("id").asInt())
            .contains("${currency}");
      }
    }
    assertThat(costPanels).isGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void everyReferencedVariableIsDeclaredOrBuiltIn(Dashboard d) {
    Set<String> declared = new HashSet<>();
    d.variables().forEach(v -> declared.add(v.path("name").asText()));
    List<String> texts = new ArrayList<>();
    d.dataPanels().forEach(p -> p.path("targets").forEach(t -> texts.add(t.path("expr").asText())));
    d.variables().forEach(v -> texts.add(DashboardQueries.queryText(v)));
    d.queryAnnotations().forEach(a -> texts.add(a.path("expr").asText()));
    for (String text : texts) {
      for (String name : DashboardQueries.references(text)) {
        assertThat(declared.contains(name) || name.startsWith("__"))
            .as("%s: $%s used in %s is not declared", d, name, text)
            .isTrue();
      }
    }
    // Substitution with the test values must leave no variable behind.
    for (PanelQuery q : DashboardQueries.of(d, VALUES)) {
      assertThat(q.expr()).as(q.where()).doesNotContain("$");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void linksToTheOtherSurgeDashboards(Dashboard d) throws IOException {
    boolean tagLink = false;
    for (JsonNode link : d.json().path("links")) {
      if ("dashboards".equals(link.path("type").asText())
          && link.path("tags").toString().contains("\"surge\"")) {
        tagLink = true;
        assertThat(link.path("includeVars").asBoolean()).as("%s link keeps variables", d).isTrue();
        assertThat(link.path("keepTime").asBoolean())
            .as("%s link keeps the time range", d)
            .isTrue();
      }
    }
    assertThat(tagLink).as("%s has a dashboards link by tag surge", d).isTrue();
    Set<String> uids = contractUids();
    Pattern target = Pattern.compile("^/d/([\\w-]+)");
    for (JsonNode panel : d.dataPanels()) {
      for (JsonNode link : panel.path("links")) {
        Matcher m = target.matcher(link.path("url").asText());
        assertThat(m.find()).as("%s panel link %s points at /d/<uid>", d, link).isTrue();
        assertThat(uids).as("%s panel link target", d).contains(m.group(1));
      }
    }
  }

  @Test
  void everyPanelQueryIsValidPromqlForPromtool(@TempDir Path dir) throws IOException {
    // promtool parses every expression of a rule file: each substituted query becomes a recording
    // rule.
    Path promtool = Tools.require("promtool", "prometheus");
    ObjectNode root = Kustomize.JSON.createObjectNode();
    ArrayNode groups = root.putArray("groups");
    int n = 0;
    for (Dashboard d : dashboards()) {
      ObjectNode group = groups.addObject().put("name", d.uid());
      ArrayNode rules = group.putArray("rules");
      for (PanelQuery q : DashboardQueries.of(d, VALUES)) {
        rules.addObject().put("record", "dashboard:query:n" + n++).put("expr", q.expr());
      }
    }
    Path file = dir.resolve("dashboard-queries.yml");
    Files.writeString(file, Kustomize.YAML.writeValueAsString(root));
    Commands.Result result =
        Commands.run(List.of(promtool.toString(), "check", "rules", file.toString()));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("SUCCESS: " + n + " rules found");
  }

  @Test
  void recordingRulesTheDashboardsReadExistInThePrometheusRule() {
    List<String> records = RuleGroups.of(prometheusRule()).recordNames();
    Pattern record = Pattern.compile("surge:[a-z0-9_]+:[a-z0-9]+");
    int used = 0;
    for (Dashboard d : dashboards()) {
      for (PanelQuery q : DashboardQueries.of(d, VALUES)) {
        Matcher m = record.matcher(q.expr());
        while (m.find()) {
          used++;
          assertThat(records).as("%s uses %s", q.where(), m.group()).contains(m.group());
        }
      }
    }
    assertThat(used).as("the SLO dashboard reads the recording rules").isPositive();
  }

  @Test
  void sloObjectivesMatchTheBudgetsOfTheBurnRateAlerts() {
    Dashboard slo =
        dashboards().stream().filter(d -> d.uid().equals("surge-slo")).findFirst().orElseThrow();
    assertBudget(slo, "availability_objective", "SurgeErrorBudgetBurnFast");
    assertBudget(slo, "latency_objective", "SurgeLatencyBudgetBurnFast");
  }

  /** The alert's {@code 14.4 * <budget>} must be 1 − the dashboard's objective. */
  private static void assertBudget(Dashboard slo, String variable, String alert) {
    double objective =
        slo.variable(variable).orElseThrow().path("current").path("value").asDouble(Double.NaN);
    String expr = "";
    for (JsonNode group : prometheusRule().path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (alert.equals(rule.path("alert").asText())) {
          expr = rule.path("expr").asText();
        }
      }
    }
    Matcher m = Pattern.compile("14\\.4\\s*\\*\\s*([0-9.]+)").matcher(expr);
    assertThat(m.find()).as("%s has a 14.4 × budget threshold: %s", alert, expr).isTrue();
    assertThat(1 - objective)
        .as("1 - %s vs the budget of %s", variable, alert)
        .isCloseTo(Double.parseDouble(m.group(1)), org.assertj.core.data.Offset.offset(1e-9));
  }

  private static ObjectNode prometheusRule() {
    return Kustomize.one(
        Kustomize.render(RepoPaths.resolve("k8s/base")), "PrometheusRule", "surge");
  }

  @Test
  void kustomizationProvisionsEveryDashboardForTheGrafanaSidecar() {
    JsonNode k = Kustomize.readYaml(RepoPaths.resolve("dashboards/kustomization.yaml"));
    JsonNode options = k.path("generatorOptions");
    assertThat(options.path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    assertThat(options.path("annotations").path("grafana_folder").asText()).isNotBlank();
    assertThat(options.path("disableNameSuffixHash").asBoolean())
        .as("stable ConfigMap names")
        .isTrue();
    List<String> listed = new ArrayList<>();
    for (JsonNode generator : k.path("configMapGenerator")) {
      generator.path("files").forEach(f -> listed.add(f.asText()));
    }
    List<String> files = dashboards().stream().map(Dashboard::fileName).toList();
    assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void renderedConfigMapsCarryEachDashboardUnchanged() throws IOException {
    List<ObjectNode> objects = Kustomize.render(RepoPaths.resolve("dashboards"));
    Map<String, String> rendered = new LinkedHashMap<>();
    for (ObjectNode cm : Kustomize.ofKind(objects, "ConfigMap")) {
      assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText())
          .as(Kustomize.id(cm))
          .isEqualTo("1");
      assertThat(cm.path("metadata").path("annotations").path("grafana_folder").asText())
          .as(Kustomize.id(cm))
          .isEqualTo("surge");
      assertThat(cm.path("metadata").path("namespace").asText())
          .as(Kustomize.id(cm))
          .isEqualTo("monitoring");
      cm.path("data").properties().forEach(e -> rendered.put(e.getKey(), e.getValue().asText()));
    }
    assertThat(objects).hasSize(dashboards().size());
    for (Dashboard d : dashboards()) {
      assertThat(rendered).containsKey(d.fileName());
      assertThat(Dashboard.STRICT.readTree(rendered.get(d.fileName())))
          .as(d.fileName())
          .isEqualTo(d.json());
    }
  }
}
